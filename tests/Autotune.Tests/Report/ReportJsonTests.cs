using System.Text.Json;
using Autotune.Report;

namespace Autotune.Tests.Report;

public sealed class ReportJsonTests
{
    private static readonly DateTimeOffset Generated = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static string GoldenPath => Golden("synthetic.report.json");

    // pareto.report.json: a study with a secondary objective (--minimize params), whose "minimize", "charts.pareto" and "pareto" it pins.
    private static string Golden(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Golden", file);

    [Fact]
    public void The_json_of_the_synthetic_study_matches_the_documented_golden_file_byte_for_byte()
    {
        using var study = new SyntheticStudy();
        MatchesGolden(ReportJson.Write(ReportSource.Load(study.ModelDir, null, Generated)), "synthetic.report.json");
    }

    [Fact]
    public void The_json_of_a_study_with_a_secondary_objective_matches_its_golden_file_byte_for_byte()
    {
        using var study = new ParetoStudy();
        MatchesGolden(ReportJson.Write(ReportSource.Load(study.ModelDir, null, Generated)), "pareto.report.json");
    }

    private static void MatchesGolden(string json, string file)
    {
        // AUTOTUNE_UPDATE_GOLDEN=1 rewrites the golden file after a deliberate, documented schema change.
        if (Environment.GetEnvironmentVariable("AUTOTUNE_UPDATE_GOLDEN") == "1")
            File.WriteAllText(Path.Combine(Support.Tool.RepositoryRoot, "tests", "Autotune.Tests", "Fixtures", "Golden", file), json);

        json.ReplaceLineEndings().ShouldBe(File.ReadAllText(Golden(file)).ReplaceLineEndings());
    }

    [Fact]
    public void The_schema_names_its_version_and_every_documented_top_level_property_is_there()
    {
        using var study = new SyntheticStudy();
        using var doc = JsonDocument.Parse(ReportJson.Write(ReportSource.Load(study.ModelDir, null, Generated)));
        var root = doc.RootElement;

        root.GetProperty("schema").GetString().ShouldBe("autotune.report/1");
        root.EnumerateObject().Select(p => p.Name).ShouldBe(
            ["schema", "study", "model", "generated", "target", "strategy", "seed", "outcome", "summary", "counts", "best", "bestSoFar", "charts", "importance", "trials"]);
        root.GetProperty("best").GetProperty("number").GetInt32().ShouldBe(2);
        root.GetProperty("trials")[3].GetProperty("value").ValueKind.ShouldBe(JsonValueKind.Null);
        root.GetProperty("trials")[0].GetProperty("values").GetProperty("ConvLayers").ValueKind.ShouldBe(JsonValueKind.Number);
    }

    [Theory]
    [InlineData("synthetic.report.json")]
    [InlineData("pareto.report.json")]
    public void Every_property_of_the_golden_file_is_documented_in_the_schema_page(string file)
    {
        var page = File.ReadAllText(Path.Combine(Support.Tool.RepositoryRoot, "docs", "report-schema.md"));
        using var doc = JsonDocument.Parse(File.ReadAllText(Golden(file)));

        static IEnumerable<string> Names(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Names(p.Value).Prepend(p.Name)),
            JsonValueKind.Array => e.EnumerateArray().SelectMany(Names),
            _ => [],
        };
        // Parameter names under "values" and metric names under "finalMetrics" are the model's own, not the schema's.
        var parameters = new[] { "ConvLayers", "LearningRate", "Pooling", "accuracy", "loss", "params" };
        foreach (var name in Names(doc.RootElement).Distinct().Except(parameters))
            System.Text.RegularExpressions.Regex.IsMatch(page, $@"`(\w+\.)*{name}[`.]")
                .ShouldBeTrue($"docs/report-schema.md does not document '{name}'");
    }
}

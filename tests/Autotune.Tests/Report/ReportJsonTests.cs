using System.Text.Json;
using Autotune.Report;

namespace Autotune.Tests.Report;

public sealed class ReportJsonTests
{
    private static readonly DateTimeOffset Generated = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static string GoldenPath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Golden", "synthetic.report.json");

    [Fact]
    public void The_json_of_the_synthetic_study_matches_the_documented_golden_file_byte_for_byte()
    {
        using var study = new SyntheticStudy();
        var json = ReportJson.Write(ReportSource.Load(study.ModelDir, null, Generated));
        // AUTOTUNE_UPDATE_GOLDEN=1 rewrites the golden file after a deliberate, documented schema change.
        if (Environment.GetEnvironmentVariable("AUTOTUNE_UPDATE_GOLDEN") == "1")
            File.WriteAllText(Path.Combine(Support.Tool.RepositoryRoot, "tests", "Autotune.Tests", "Fixtures", "Golden", "synthetic.report.json"), json);

        json.ReplaceLineEndings().ShouldBe(File.ReadAllText(GoldenPath).ReplaceLineEndings());
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

    [Fact]
    public void Every_property_of_the_golden_file_is_documented_in_the_schema_page()
    {
        var page = File.ReadAllText(Path.Combine(Support.Tool.RepositoryRoot, "docs", "report-schema.md"));
        using var doc = JsonDocument.Parse(File.ReadAllText(GoldenPath));

        static IEnumerable<string> Names(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Names(p.Value).Prepend(p.Name)),
            JsonValueKind.Array => e.EnumerateArray().SelectMany(Names),
            _ => [],
        };
        // Parameter names under "values" and metric names under "finalMetrics" are the model's own, not the schema's.
        var parameters = new[] { "ConvLayers", "LearningRate", "Pooling", "accuracy", "loss" };
        foreach (var name in Names(doc.RootElement).Distinct().Except(parameters))
            System.Text.RegularExpressions.Regex.IsMatch(page, $@"`(\w+\.)*{name}[`.]")
                .ShouldBeTrue($"docs/report-schema.md does not document '{name}'");
    }
}

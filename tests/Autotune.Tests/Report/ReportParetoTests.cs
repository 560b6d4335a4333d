using System.Text.Json;
using Autotune.Cli;
using Autotune.Report;

namespace Autotune.Tests.Report;

/// <summary>The report and `trials` of a study with a secondary objective (<see cref="ParetoStudy"/>): its best, its front and its chart.</summary>
public sealed class ReportParetoTests
{
    private static readonly DateTimeOffset Generated = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_report_picks_the_smallest_trial_on_target_and_shows_the_front_best_accuracy_first()
    {
        using var study = new ParetoStudy();
        var report = ReportSource.Load(study.ModelDir, null, Generated);

        report.MinimizeList.ShouldBe(["params"]);
        report.Best!.Number.ShouldBe(3);
        report.Outcome.ShouldBe(ReportOutcome.Reached);
        report.Front.Select(t => t.Number).ShouldBe([6, 2, 3, 1]);
        report.BestSoFar.ShouldBe([0.97, 0.995, 0.995, 0.995, 0.995, 0.999, 0.999]); // still the best value so far

        var html = new ReportTemplates().Html(report, ChartSources.Files, mail: false);
        html.ShouldContain("then minimize params");
        html.ShouldContain("<h2>Pareto front</h2>");
        html.ShouldContain("id=\"chart-pareto\" src=\"pareto.png\"");
        html.ShouldContain("<th>trial</th><th>accuracy</th><th>params</th><th>values</th>");
        html.ShouldContain("<tr class=\"best\"><td class=\"num\">3</td><td class=\"num\">0.991</td><td class=\"num\">60000</td>");
        var text = new ReportTemplates().Text(report);
        text.ShouldContain("Pareto front over accuracy, params (no other trial beats these on all at once):");
        text.ShouldContain("#6 accuracy 0.999, params -:");
        text.ShouldContain("#3 accuracy 0.991, params 60000: ConvLayers=4, LearningRate=0.003, Pooling=max  <- best");
    }

    [Fact]
    public void Report_json_names_the_objectives_and_the_front_with_each_trials_values()
    {
        using var study = new ParetoStudy();
        var root = JsonDocument.Parse(ReportJson.Write(ReportSource.Load(study.ModelDir, null, Generated))).RootElement;

        root.GetProperty("minimize").EnumerateArray().Select(e => e.GetString()).ShouldBe(["params"]);
        root.GetProperty("charts").GetProperty("pareto").GetString().ShouldBe("pareto.png");
        var pareto = root.GetProperty("pareto");
        pareto.GetProperty("objectives").EnumerateArray().Select(o => $"{o.GetProperty("metric").GetString()} {o.GetProperty("direction").GetString()}")
            .ShouldBe(["accuracy maximize", "params minimize"]);
        var front = pareto.GetProperty("front").EnumerateArray().ToList();
        front.Select(t => t.GetProperty("number").GetInt32()).ShouldBe([6, 2, 3, 1]);
        front[0].GetProperty("values")[1].ValueKind.ShouldBe(JsonValueKind.Null); // trial 6 never reported params
        front[2].GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ShouldBe([0.991, 60_000]);
        root.GetProperty("best").GetProperty("number").GetInt32().ShouldBe(3);
    }

    [Fact]
    public void The_report_folder_holds_a_pareto_chart_only_while_the_study_has_secondary_objectives()
    {
        using var study = new ParetoStudy();
        var folder = Path.Combine(study.ModelDir, "out");

        var written = ReportWriter.Write(ReportSource.Load(study.ModelDir, null, Generated), folder, new ReportTemplates());

        written.ParetoChart.ShouldBe(Path.Combine(folder, "pareto.png"));
        var png = File.ReadAllBytes(written.ParetoChart!);
        png[1..4].ShouldBe("PNG"u8.ToArray());
        (png[16] << 24 | png[17] << 16 | png[18] << 8 | png[19]).ShouldBe(ReportCharts.Width);

        using var plain = new SyntheticStudy();
        ReportWriter.Write(ReportSource.Load(plain.ModelDir, null, Generated), folder, new ReportTemplates()).ParetoChart.ShouldBeNull();
        File.Exists(Path.Combine(folder, "pareto.png")).ShouldBeFalse();
        File.ReadAllText(Path.Combine(folder, "report.html")).ShouldNotContain("Pareto");
    }

    [Fact]
    public async Task Trials_json_carries_the_objectives_and_the_front_and_the_table_marks_it()
    {
        using var study = new ParetoStudy();
        var output = new StringWriter();
        var error = new StringWriter();

        (await CommandLine.RunAsync(["trials", study.ModelDir, "--json"], output, error)).ShouldBe(ExitCodes.Success, error.ToString());

        var root = JsonDocument.Parse(output.ToString()).RootElement;
        root.GetProperty("minimize").EnumerateArray().Select(e => e.GetString()).ShouldBe(["params"]);
        root.GetProperty("pareto").EnumerateArray().Select(e => e.GetInt32()).ShouldBe([6, 2, 3, 1]);

        var table = new StringWriter();
        (await CommandLine.RunAsync(["trials", study.ModelDir], table, error)).ShouldBe(ExitCodes.Success, error.ToString());
        var lines = table.ToString().Split('\n');
        lines[0].ShouldContain("accuracy  params  front");
        lines[4].ShouldNotContain("*"); // trial 4, beaten by trial 3
        lines[6].ShouldContain("-       *"); // trial 6: no params, on the front
    }
}

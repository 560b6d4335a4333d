using System.Text.Json;
using Autotune.Cli;
using Autotune.Report;
using Autotune.Study;

namespace Autotune.Tests.Report;

public sealed class ReportContentTests
{
    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task The_report_command_writes_html_json_text_and_two_png_charts_into_the_default_folder()
    {
        using var study = new SyntheticStudy();

        var (code, output, error) = await Run("report", study.ModelDir);

        code.ShouldBe(0, error);
        output.ShouldContain("mnist-cnn reached accuracy 0.9931 (target accuracy>=0.99) in 5 trials");
        var folder = Path.Combine(study.ModelDir, ".autotune", "report");
        foreach (var file in new[] { "report.html", "report.json", "report.txt", "trials.png", "epochs.png" })
            File.Exists(Path.Combine(folder, file)).ShouldBeTrue(file);
        foreach (var png in new[] { "trials.png", "epochs.png" })
            File.ReadAllBytes(Path.Combine(folder, png)).Take(8).ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
    }

    [Fact]
    public void The_best_trial_is_the_one_with_the_best_value_in_the_target_direction_and_decides_the_outcome()
    {
        using var study = new SyntheticStudy();
        var report = ReportSource.Load(study.ModelDir, null, DateTimeOffset.UnixEpoch);

        report.Outcome.ShouldBe(ReportOutcome.Reached);
        report.Best.ShouldNotBeNull().Number.ShouldBe(2);
        report.Best.Values.ShouldContain(kv => kv.Key == "Pooling" && (string)kv.Value == "max");
        report.Best.FinalMetrics["loss"].ShouldBe(1 - 0.9931, 1e-12);
        report.BestSoFar.ShouldBe(new double?[] { 0.95, 0.9931, 0.9931, 0.9931, 0.9931 });
        report.CountIn(TrialState.Failed).ShouldBe(1);
    }

    [Fact]
    public void A_target_no_trial_meets_is_reported_as_missed_with_the_best_value_in_the_headline()
    {
        using var study = new SyntheticStudy(target: "accuracy>=0.999");
        var report = ReportSource.Load(study.ModelDir, null, DateTimeOffset.UnixEpoch);

        report.Outcome.ShouldBe(ReportOutcome.Missed);
        report.Headline().ShouldBe("mnist-cnn did not reach accuracy>=0.999 in 5 trials: best accuracy 0.9931");
    }

    [Fact]
    public void A_minimised_metric_picks_the_lowest_value()
    {
        using var study = new SyntheticStudy(target: "accuracy<0.5");
        var report = ReportSource.Load(study.ModelDir, null, DateTimeOffset.UnixEpoch);

        report.Best.ShouldNotBeNull().Number.ShouldBe(3);
        report.Outcome.ShouldBe(ReportOutcome.Missed);
    }

    [Fact]
    public void A_study_whose_trials_all_failed_has_no_best_trial_and_outcome_failed()
    {
        var failed = new StoredTrial(1, 1, TrialState.Failed, SyntheticStudy.Space.Current(), null, 0, 3, "exit 134", new Dictionary<int, IReadOnlyDictionary<string, double>>());
        var info = new StudyInfo(1, "s", "m", SyntheticStudy.Space, "accuracy>=0.99", "tpe", 1, "{}");

        var report = StudyReport.From(info, [failed], DateTimeOffset.UnixEpoch);

        report.Outcome.ShouldBe(ReportOutcome.Failed);
        report.Best.ShouldBeNull();
        report.Headline().ShouldBe("s did not reach accuracy>=0.99: none of 1 trial produced a value for accuracy");
        StudyReport.From(info, [], DateTimeOffset.UnixEpoch).Outcome.ShouldBe(ReportOutcome.Empty);
    }

    [Fact]
    public void Charts_of_a_study_without_any_value_still_render_as_png()
    {
        var info = new StudyInfo(1, "s", "m", SyntheticStudy.Space, "loss<0.1", "tpe", 1, "{}");
        var failed = new StoredTrial(1, 1, TrialState.Failed, SyntheticStudy.Space.Current(), null, 0, 0, "boom", new Dictionary<int, IReadOnlyDictionary<string, double>>());

        foreach (var report in new[] { StudyReport.From(info, [], DateTimeOffset.UnixEpoch), StudyReport.From(info, [failed], DateTimeOffset.UnixEpoch) })
        {
            ReportCharts.Trials(report).Length.ShouldBeGreaterThan(1000);
            ReportCharts.Epochs(report).Length.ShouldBeGreaterThan(1000);
            new ReportTemplates().Html(report, ChartSources.Files, mail: false).ShouldContain("No trial produced a value for loss.");
        }
    }

    [Theory]
    [InlineData(1e308, -1e308, "loss<0.1")]
    [InlineData(1e308, 1e308, "loss<0.1")]
    [InlineData(double.PositiveInfinity, double.NaN, "loss<0.1")]
    [InlineData(1e-300, 2e-300, "loss<0.1")]
    [InlineData(5, 5.000000000000001, "loss<5")]
    [InlineData(0.5, 0.25, "loss<1e308")]
    public void Charts_draw_finite_axes_whatever_values_the_trials_hold(double first, double second, string target)
    {
        var info = new StudyInfo(1, "s", "m", SyntheticStudy.Space, target, "tpe", 1, "{}");
        StoredTrial Trial(int number, double value) => new(number, number, TrialState.Completed, SyntheticStudy.Space.Current(), value, 2, 0, null,
            new Dictionary<int, IReadOnlyDictionary<string, double>> { [1] = new Dictionary<string, double> { ["loss"] = value }, [2] = new Dictionary<string, double> { ["loss"] = value } });

        var report = StudyReport.From(info, [Trial(1, first), Trial(2, second)], DateTimeOffset.UnixEpoch);

        ReportCharts.Trials(report).Length.ShouldBeGreaterThan(1000);
        ReportCharts.Epochs(report).Length.ShouldBeGreaterThan(1000);
        ReportJson.Write(report).ShouldNotBeEmpty();
        report.Headline().Length.ShouldBeLessThan(120, report.Headline());
    }

    [Fact]
    public async Task The_html_shows_target_outcome_best_values_every_trial_and_both_charts()
    {
        using var study = new SyntheticStudy();
        var outFolder = Path.Combine(study.ModelDir, "out");

        (await Run("report", study.ModelDir, "--out", outFolder)).Code.ShouldBe(0);

        var html = File.ReadAllText(Path.Combine(outFolder, "report.html"));
        html.ShouldContain("accuracy&gt;=0.99");
        html.ShouldContain("class=\"outcome reached\"");
        html.ShouldContain("<tr><th>LearningRate</th><td>0.002</td></tr>");
        html.ShouldContain("src=\"trials.png\"");
        html.ShouldContain("src=\"epochs.png\"");
        html.ShouldContain("<tr class=\"completed best\">");
        foreach (var state in new[] { "completed", "pruned", "failed" }) html.ShouldContain($"<td>{state}</td>");
        System.Text.RegularExpressions.Regex.Matches(html, "<tr class=\"").Count.ShouldBe(5);
    }

    [Fact]
    public void With_enough_completed_trials_the_report_ranks_the_parameters_that_mattered_in_a_table_a_bar_chart_and_the_text()
    {
        var report = SyntheticStudy.OfRandomTrials(24);
        var folder = Directory.CreateTempSubdirectory("autotune-importance-").FullName;
        try
        {
            var written = ReportWriter.Write(report, folder, new ReportTemplates());

            report.Importance.Shares[0].Parameter.ShouldBe("LearningRate");
            written.ImportanceChart.ShouldBe(Path.Combine(folder, "importance.png"));
            File.ReadAllBytes(written.ImportanceChart!).Take(4).ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
            var html = File.ReadAllText(written.Html);
            html.ShouldContain("<img id=\"chart-importance\" src=\"importance.png\"");
            html.ShouldContain($"<tr><td class=\"num\">1</td><td>LearningRate</td><td class=\"num\">{ReportFormat.Percent(report.Importance.Shares[0].Share)}</td></tr>");
            System.Text.RegularExpressions.Regex.Matches(html, "<tr><td class=\"num\">\\d</td>").Count.ShouldBe(3);
            html.ShouldContain("<td>ConvLayers</td>");
            html.ShouldContain("fit to the 24 completed trials");
            File.ReadAllText(written.Text).ShouldContain($"  1. LearningRate {ReportFormat.Percent(report.Importance.Shares[0].Share)}\n");
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public async Task Below_the_minimum_the_report_says_how_many_completed_trials_it_has_and_needs_and_leaves_no_importance_chart()
    {
        using var study = new SyntheticStudy();
        var folder = Path.Combine(study.ModelDir, ".autotune", "report");
        ReportWriter.Write(SyntheticStudy.OfRandomTrials(24), folder, new ReportTemplates()); // an earlier report's chart

        (await Run("report", study.ModelDir)).Code.ShouldBe(0);

        File.Exists(Path.Combine(folder, "importance.png")).ShouldBeFalse();
        var html = File.ReadAllText(Path.Combine(folder, "report.html"));
        html.ShouldContain("<p id=\"importance-reason\">Not computed: not enough completed trials (3 of 8 needed).</p>");
        html.ShouldNotContain("chart-importance");
        File.ReadAllText(Path.Combine(folder, "report.txt")).ShouldContain("Which parameters mattered: not computed, not enough completed trials (3 of 8 needed).\n");
    }

    [Fact]
    public async Task Markup_from_code_values_names_and_errors_is_escaped_in_the_html_and_kept_plain_in_the_text()
    {
        using var study = new SyntheticStudy(studyName: "<img src=x onerror=alert(1)>");
        var outFolder = Path.Combine(study.ModelDir, "out");

        var (code, _, error) = await Run("report", study.ModelDir, "--study", "<img src=x onerror=alert(1)>", "--out", outFolder);

        code.ShouldBe(0, error);
        var html = File.ReadAllText(Path.Combine(outFolder, "report.html"));
        html.ShouldNotContain("<img src=x");
        html.ShouldNotContain("<script>alert");
        html.ShouldNotContain("<b>avg</b>");
        html.ShouldContain("&lt;img src=x onerror=alert(1)&gt;");
        html.ShouldContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; crashed");
        html.ShouldContain("Pooling=&lt;b&gt;avg&lt;/b&gt;");
        var text = File.ReadAllText(Path.Combine(outFolder, "report.txt"));
        text.ShouldContain(SyntheticStudy.HostileError);
    }

    [Fact]
    public async Task A_repository_template_folder_replaces_the_built_in_html_and_keeps_the_built_in_text()
    {
        using var study = new SyntheticStudy();
        var templates = Directory.CreateDirectory(Path.Combine(study.ModelDir, "templates", "report")).FullName;
        File.WriteAllText(Path.Combine(templates, "report.html.sbn"), "<p id=\"mine\">{{ headline }} / {{ trials.size }}</p>\n");

        (await Run("report", study.ModelDir)).Code.ShouldBe(0);

        var folder = Path.Combine(study.ModelDir, ".autotune", "report");
        File.ReadAllText(Path.Combine(folder, "report.html")).ShouldBe("<p id=\"mine\">mnist-cnn reached accuracy 0.9931 (target accuracy&gt;=0.99) in 5 trials / 5</p>\n");
        File.ReadAllText(Path.Combine(folder, "report.txt")).ShouldContain("Best trial: 2 (completed), accuracy 0.9931");
    }

    [Fact]
    public async Task A_broken_template_is_invalid_input_named_by_file_and_line_and_leaves_no_half_written_report()
    {
        using var study = new SyntheticStudy();
        var templates = Directory.CreateDirectory(Path.Combine(study.ModelDir, "mine")).FullName;
        File.WriteAllText(Path.Combine(templates, "report.html.sbn"), "ok\n{{ if }}\n");

        var (code, _, error) = await Run("report", study.ModelDir, "--templates", templates);

        code.ShouldBe(ExitCodes.InvalidInput);
        error.ShouldContain("report.html.sbn(2,");
        error.Trim().Split('\n').Length.ShouldBe(1);
        Directory.Exists(Path.Combine(study.ModelDir, ".autotune", "report")).ShouldBeFalse();
    }

    [Fact]
    public async Task An_unknown_study_is_invalid_input_that_lists_the_studies_there_are()
    {
        using var study = new SyntheticStudy();

        var (code, _, error) = await Run("report", study.ModelDir, "--study", "nope");

        code.ShouldBe(ExitCodes.InvalidInput);
        error.ShouldContain("has no study 'nope' (it has: mnist-cnn); pass --study");
    }

    [Fact]
    public void The_text_rendering_lists_the_best_values_and_every_trial()
    {
        using var study = new SyntheticStudy();
        var text = new ReportTemplates().Text(ReportSource.Load(study.ModelDir, null, DateTimeOffset.UnixEpoch));

        text.ShouldStartWith("mnist-cnn reached accuracy 0.9931 (target accuracy>=0.99) in 5 trials\n");
        text.ShouldContain("  LearningRate = 0.002\n");
        text.ShouldContain("  #2 completed accuracy 0.9931, 3 epoch(s): ConvLayers=2, LearningRate=0.002, Pooling=max  <- best\n");
        text.ShouldContain("  #4 failed accuracy -, 0 epoch(s), 3 restart(s)");
        text.ShouldNotContain("<td>");
    }
}

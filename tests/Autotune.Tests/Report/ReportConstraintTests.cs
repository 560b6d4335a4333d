using System.Text.Json;
using Autotune.Cli;
using Autotune.Report;
using Autotune.Search;
using Autotune.Study;

namespace Autotune.Tests.Report;

/// <summary>The report and `trials` of a study with constraints: the synthetic trials end at loss 0.05, 0.0069, 0.15 (pruned), none (failed) and 0.03.</summary>
public sealed class ReportConstraintTests
{
    private static SyntheticStudy WithConstraint(string constraint) =>
        new(settings: StudyConstraints.Write([Constraint.Parse(constraint)]));

    [Fact]
    public void The_report_marks_each_infeasible_trial_with_what_it_broke_and_picks_the_best_among_the_feasible()
    {
        using var study = WithConstraint("loss<0.04");
        var report = ReportSource.Load(study.ModelDir, null, DateTimeOffset.UnixEpoch);

        report.Best!.Number.ShouldBe(2);
        report.Outcome.ShouldBe(ReportOutcome.Reached);
        report.Trials.Where(t => !t.Feasible).Select(t => t.Number).ShouldBe([1, 3]);
        report.Trials[0].Broken.ShouldBe(["loss 0.05 >= 0.04"]);

        var html = new ReportTemplates().Html(report, ChartSources.Files, mail: false);
        html.ShouldContain("constraints loss&lt;0.04");
        html.ShouldContain("infeasible: loss 0.05 &gt;= 0.04");
        var json = JsonDocument.Parse(ReportJson.Write(report)).RootElement;
        json.GetProperty("constraints").EnumerateArray().Select(e => e.GetString()).ShouldBe(["loss<0.04"]);
        json.GetProperty("trials")[0].GetProperty("feasible").GetBoolean().ShouldBeFalse();
        json.GetProperty("trials")[1].GetProperty("feasible").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public void When_no_trial_is_feasible_the_report_says_so_in_its_headline()
    {
        using var study = WithConstraint("loss<0.001");
        var report = ReportSource.Load(study.ModelDir, null, DateTimeOffset.UnixEpoch);

        report.Best.ShouldBeNull();
        report.Outcome.ShouldBe(ReportOutcome.Infeasible);
        report.Headline().ShouldBe("mnist-cnn did not reach accuracy>=0.99: none of 5 trials met the constraint(s) loss<0.001");
    }

    [Fact]
    public async Task Trials_json_carries_whether_each_trial_is_feasible_and_what_it_broke()
    {
        using var study = WithConstraint("loss<0.04");
        var output = new StringWriter();
        var error = new StringWriter();

        (await CommandLine.RunAsync(["trials", study.ModelDir, "--json"], output, error)).ShouldBe(ExitCodes.Success, error.ToString());

        var root = JsonDocument.Parse(output.ToString()).RootElement;
        root.GetProperty("constraints").EnumerateArray().Select(e => e.GetString()).ShouldBe(["loss<0.04"]);
        var trials = root.GetProperty("trials").EnumerateArray().ToList();
        trials.Select(t => t.GetProperty("feasible").GetBoolean()).ShouldBe([false, true, false, true, true]);
        trials[2].GetProperty("broken")[0].GetString().ShouldBe("loss 0.15 >= 0.04");
    }

    [Fact]
    public async Task Apply_best_takes_the_best_feasible_trial_and_says_so_when_there_is_none()
    {
        foreach (var (constraint, expected) in new[] { ("loss<0.04", "LearningRate = 0.002"), ("loss<0.001", "") })
        {
            using var study = WithConstraint(constraint);
            File.WriteAllText(Path.Combine(study.ModelDir, "Hyper.cs"), """
                [Hyperparameters]
                public static class Hyper
                {
                    [Range(1, 4)] public const int ConvLayers = 2;
                    [LogRange(1e-4, 1e-2)] public const double LearningRate = 0.001;
                    [Choice("max", "avg")] public const string Pooling = "max";
                }
                """);
            var output = new StringWriter();
            var error = new StringWriter();

            var code = await CommandLine.RunAsync(["apply", study.ModelDir, "--best", "--dry-run"], output, error);

            if (expected.Length > 0)
            {
                code.ShouldBe(ExitCodes.Success, error.ToString());
                output.ToString().ShouldContain(expected);
            }
            else
            {
                code.ShouldBe(ExitCodes.InvalidInput);
                error.ToString().ShouldContain("study 'mnist-cnn' has no feasible trial: all 3 completed trial(s) broke loss<0.001; apply one anyway with --trial N");
            }
        }
    }
}

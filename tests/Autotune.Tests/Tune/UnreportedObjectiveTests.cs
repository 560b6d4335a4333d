using Autotune.Tests.Support;

namespace Autotune.Tests.Tune;

/// <summary>`--minimize` of a metric the program never reports (the toy reports only its score): the study goes on by its target.</summary>
[Collection(ToyTunerCollection.Name)]
[Trait("Category", "Integration")]
public sealed class UnreportedObjectiveTests
{
    [Fact]
    public async Task A_metric_to_minimize_that_the_program_never_reports_is_said_once_and_the_trials_still_count_for_the_target()
    {
        var study = ToyTuner.NewStudy("unreported");

        var r = await Tool.RunAsync(["run", ToyTuner.Folder, "--target", ToyTuner.Target, "--minimize", "params", "--max-trials", "3", "--seed", "1",
            "--study", study, "--no-apply", "--no-asha"], timeout: TimeSpan.FromMinutes(6));

        r.ExitCode.ShouldBeOneOf([0, 3], r.All);
        var said = r.Output.Split('\n').Where(l => l.Contains("--minimize params: the program reports no metric 'params' (it reports score)")).ToList();
        said.Count.ShouldBe(1, r.Output);
        said[0].ShouldContain("such trials still count for the target, as the worst for it");
        r.Output.ShouldContain("best trial ");
        r.Output.ShouldContain(", params -:");
    }
}

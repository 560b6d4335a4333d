using Autotune.Tests.Support;

namespace Autotune.Tests.Tune;

/// <summary>`autotune run` on a program without the SDK (tests/programs/plain-tunable): tuned from what it prints.</summary>
[Trait("Category", "Integration")]
public sealed class PlainRunTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autotune-plain-run-").FullName;

    public PlainRunTests()
    {
        var source = Path.Combine(Tool.RepositoryRoot, "tests", "programs", "plain-tunable");
        foreach (var f in new[] { "PlainTunable.csproj", "Program.cs" }) File.Copy(Path.Combine(source, f), Path.Combine(folder, f));
    }

    [Fact]
    public async Task A_plain_program_is_tuned_from_its_printed_percentages_a_nan_trial_fails_and_the_study_goes_on()
    {
        var r = await Tool.RunAsync(["run", folder, "--target", "accuracy>=0.8", "--max-trials", "6", "--seed", "0", "--no-apply", "--no-asha"],
            timeout: TimeSpan.FromMinutes(6));

        r.Output.ShouldContain("the trial failed: loss is nan at epoch 2"); // Rate above 0.15: failed with its reason
        r.ExitCode.ShouldBeOneOf([0, 3], r.All);
        var trials = Directory.GetDirectories(Directory.GetDirectories(Path.Combine(folder, ".autotune", "studies")).Single() + "/trials").Order().ToList();
        var failed = trials.FindIndex(t => File.ReadAllText(Path.Combine(t, "trial.log")).Contains("the trial failed: loss is nan"));
        failed.ShouldBeLessThan(trials.Count - 1); // a later trial ran
        if (r.ExitCode == 0)
        {
            // The trial that reached the target was killed at that epoch: it cannot read the stop file.
            var winner = trials.Single(t => File.ReadAllText(Path.Combine(t, "trial.log")).Contains("stopping the program after epoch"));
            var epochs = MetricsFile.Read(Path.Combine(winner, TrialEnvironment.MetricsFile));
            epochs.Count.ShouldBeLessThan(8);
            epochs[^1].Metrics["accuracy"].ShouldBeGreaterThanOrEqualTo(0.8);
            epochs.Take(epochs.Count - 1).ShouldAllBe(e => e.Metrics["accuracy"] < 0.8);
        }
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

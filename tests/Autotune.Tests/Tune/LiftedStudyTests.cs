using System.Text.Json;
using Autotune.Tests.Support;

namespace Autotune.Tests.Tune;

/// <summary>
/// Issue 13's whole path on tests/programs/plain-mnist, a TorchSharp program that never heard of
/// Autotune: `run` tunes its literals (lifted in the trial workspaces only) from its printed
/// accuracy to a target its own literals miss, `apply --best` writes the block and its uses, and the
/// written program, built and trained again, repeats the best trial epoch for epoch.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LiftedStudyTests : IDisposable
{
    private const double Target = 0.88;
    private readonly string folder = Directory.CreateTempSubdirectory("autotune-lifted-").FullName;
    private readonly string scratch = Directory.CreateTempSubdirectory("autotune-lifted-trial-").FullName;

    public LiftedStudyTests()
    {
        var source = Path.Combine(Tool.RepositoryRoot, "tests", "programs", "plain-mnist");
        foreach (var f in new[] { "PlainMnist.csproj", "Program.cs" }) File.Copy(Path.Combine(source, f), Path.Combine(folder, f));
    }

    [Fact]
    public async Task A_plain_program_is_tuned_through_lifted_literals_and_apply_best_writes_a_program_that_repeats_the_best_trial()
    {
        Mnist.Require();
        var original = File.ReadAllBytes(Path.Combine(folder, "Program.cs"));

        var run = await Tool.RunAsync(["run", folder, "--target", $"accuracy>={Target}", "--max-trials", "12", "--seed", "1"], timeout: TimeSpan.FromMinutes(12));

        run.ExitCode.ShouldBe(0, run.All);
        run.Output.ShouldContain("no [Hyperparameters] block: tuning literals lifted");
        run.Output.ShouldContain("LearningRate");
        run.Output.ShouldContain("your files are unchanged");
        File.ReadAllBytes(Path.Combine(folder, "Program.cs")).ShouldBe(original);
        Directory.GetFiles(folder).Select(Path.GetFileName).Order().ShouldBe(["PlainMnist.csproj", "Program.cs"]);

        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, ".autotune", "report", "report.json")));
        var trials = report.RootElement.GetProperty("trials");
        trials[0].GetProperty("value").GetDouble().ShouldBeLessThan(Target); // the code's own literals miss the target
        var best = report.RootElement.GetProperty("best");
        best.GetProperty("value").GetDouble().ShouldBeGreaterThanOrEqualTo(Target);
        var change = report.RootElement.GetProperty("sourceChange");
        change.GetProperty("written").GetBoolean().ShouldBeFalse();
        change.GetProperty("diff").GetString()!.ShouldContain("+var hidden = Hyper.Hidden;");
        File.ReadAllText(Path.Combine(folder, ".autotune", "report", "report.txt")).ShouldContain("`autotune apply --best` writes this");

        var apply = await Tool.RunAsync(["apply", folder, "--best"]);
        apply.ExitCode.ShouldBe(0, apply.All);
        File.Exists(Path.Combine(folder, "Hyper.cs")).ShouldBeTrue();
        File.ReadAllText(Path.Combine(folder, "Program.cs")).ShouldContain("var hidden = Hyper.Hidden;");
        var reportAgain = await Tool.RunAsync(["report", folder]);
        reportAgain.ExitCode.ShouldBe(0, reportAgain.All);
        File.ReadAllText(Path.Combine(folder, ".autotune", "report", "report.txt")).ShouldContain("Written into the source:");

        // The written program: built again from the user's folder, trained with the same fixed seed.
        var trial = Path.Combine(scratch, "trial");
        var train = await Tool.RunAsync(["train", folder, "--trial-dir", trial], timeout: TimeSpan.FromMinutes(8));
        train.ExitCode.ShouldBe(0, train.All);
        var epochs = MetricsFile.Read(Path.Combine(trial, TrialEnvironment.MetricsFile));
        var curve = best.GetProperty("curve").EnumerateArray().Select(p => (Epoch: p.GetProperty("epoch").GetInt32(), Value: p.GetProperty("value").GetDouble())).ToList();
        foreach (var (epoch, value) in curve)
            epochs.Single(e => e.Epoch == epoch).Metrics["accuracy"].ShouldBe(value, $"epoch {epoch}");
        epochs.Single(e => e.Epoch == curve[^1].Epoch).Metrics["accuracy"].ShouldBeGreaterThanOrEqualTo(Target);
    }

    public void Dispose()
    {
        Directory.Delete(folder, recursive: true);
        Directory.Delete(scratch, recursive: true);
    }
}

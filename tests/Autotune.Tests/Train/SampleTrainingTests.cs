using System.Diagnostics;
using System.Security.Cryptography;
using Autotune.Tests.Support;

namespace Autotune.Tests.Train;

/// <summary>The real tool trains the real MNIST sample with real TorchSharp (on a subset, for time).</summary>
[Collection(SampleCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SampleTrainingTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("autotune-train-").FullName;
    private static readonly Dictionary<string, string> Subset = new() { ["MNIST_TRAIN_LIMIT"] = "3000" };

    [Fact]
    public async Task Training_the_sample_reports_test_accuracy_for_every_epoch()
    {
        Mnist.Require();
        var trial = Path.Combine(scratch, "plain");
        var result = await Tool.RunAsync(["train", Mnist.SampleFolder, "--trial-dir", trial, "--epochs", "2", "--seed", "3"], Subset);

        result.ExitCode.ShouldBe(0, result.All);
        var epochs = MetricsFile.Read(Path.Combine(trial, TrialEnvironment.MetricsFile));
        epochs.Select(e => e.Epoch).ShouldBe([1, 2]);
        epochs[^1].Metrics["accuracy"].ShouldBeGreaterThan(0.85);
        result.Output.ShouldContain("final: accuracy");
    }

    [Fact]
    public async Task Killed_trial_resumes_from_last_checkpoint_loses_at_most_one_epoch_and_ends_with_the_same_weights()
    {
        Mnist.Require();
        string[] common = ["train", Mnist.SampleFolder, "--epochs", "3", "--seed", "11"];
        var straight = Path.Combine(scratch, "straight");
        (await Tool.RunAsync([.. common, "--trial-dir", straight], Subset)).ExitCode.ShouldBe(0);

        var killed = Path.Combine(scratch, "killed");
        var killedPid = 0;
        var result = await Tool.RunAsync([.. common, "--trial-dir", killed], Subset, onLine: line =>
        {
            // Mid-epoch 2: a third of epoch 1's time after it ended. A fixed delay landed in epoch 3 on a
            // machine whose epochs are shorter than it, and then the resume was from epoch 2.
            if (killedPid == 0 && line.Contains("[train] epoch 1:"))
            {
                killedPid = -1;
                var epochSeconds = EpochSeconds(line);
                _ = Task.Run(async () =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Max(0.1, epochSeconds / 3)));
                    var pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(killed, "program.pid")));
                    Process.GetProcessById(pid).Kill(); // SIGKILL
                    killedPid = pid;
                });
            }
        });

        result.ExitCode.ShouldBe(0, result.All);
        killedPid.ShouldBeGreaterThan(0);
        var log = await File.ReadAllTextAsync(Path.Combine(killed, "trial.log"));
        log.ShouldContain("was killed (SIGKILL, exit 137)");
        log.ShouldContain("start 2: resumes from the checkpoint of epoch 1"); // at most epoch 2 was lost
        result.Output.ShouldContain("1 restart(s)");

        var a = MetricsFile.Read(Path.Combine(straight, TrialEnvironment.MetricsFile));
        var b = MetricsFile.Read(Path.Combine(killed, TrialEnvironment.MetricsFile));
        b.Select(e => e.Epoch).ShouldBe([1, 2, 3]);
        b.Select(e => e.Metrics["accuracy"]).ShouldBe(a.Select(e => e.Metrics["accuracy"]));
        b.Select(e => e.Metrics["loss"]).ShouldBe(a.Select(e => e.Metrics["loss"]));
        ModelHash(killed).ShouldBe(ModelHash(straight));
    }

    /// <summary>The duration at the end of a progress line: "... (2.8 s)".</summary>
    private static double EpochSeconds(string line)
    {
        var match = System.Text.RegularExpressions.Regex.Match(line, @"\(([0-9.]+) s\)\s*$");
        match.Success.ShouldBeTrue($"no epoch duration in '{line}'");
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string ModelHash(string trial)
    {
        var latest = new CheckpointStore(Path.Combine(trial, TrialEnvironment.CheckpointFolder)).Latest().ShouldNotBeNull();
        latest.Epoch.ShouldBe(3);
        return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(latest.File("model.bin"))));
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}

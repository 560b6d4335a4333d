using System.Diagnostics;
using System.Text.Json;
using Autotune.Tests.Support;

namespace Autotune.Tests.Chaos;

/// <summary>
/// Issue 10's chaos run: `autotune run` on the real MNIST sample while its training programs are
/// SIGKILLed at random moments 20 times and its controller 5 times, each time run again as CI would.
/// It must end exactly as the same study run without a single kill: every trial once, the same
/// values, the same metrics epoch for epoch (resume is bit-exact), the same best, and every
/// checkpoint left on disk whole (its manifest's checksums hold).
/// </summary>
[Collection(SampleCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ChaosTests
{
    private const int ProgramKills = 20;
    private const int ControllerKills = 5;
    private static readonly Dictionary<string, string> Subset = new() { ["MNIST_TRAIN_LIMIT"] = "1000", ["MNIST_TEST_LIMIT"] = "500" };

    // Out of reach, so the whole budget is spent; no ASHA, so every trial trains its 3 epochs.
    private static string[] Run(string study) =>
        ["run", Mnist.SampleFolder, "--target", "accuracy>=0.999", "--max-trials", "3", "--max-epochs", "3", "--seed", "5",
         "--strategy", "random", "--study", study, "--no-apply", "--no-asha", "--retries", "40"];

    [Fact]
    public async Task A_run_whose_programs_are_killed_20_times_and_its_controller_5_times_ends_as_an_unbroken_run_of_the_same_study()
    {
        Mnist.Require();
        var calm = "calm-" + Guid.NewGuid().ToString("N")[..8];
        var unbroken = await Tool.RunAsync(Run(calm), Subset, timeout: TimeSpan.FromMinutes(10));
        unbroken.ExitCode.ShouldBe(3, unbroken.All);

        var random = new Random(10);
        var (programKills, controllerKills, starts) = (0, 0, 0);
        var seen = new HashSet<(string, int)>();
        // On a fast machine a study can end before every blow has landed: then the same study runs again
        // under a new name, and each of them must end as the unbroken one did.
        var studies = new List<string>();
        while (programKills < ProgramKills || controllerKills < ControllerKills)
        {
            studies.Count.ShouldBeLessThan(4, $"{programKills} program and {controllerKills} controller kills after {studies.Count} studies");
            var chaos = "chaos-" + Guid.NewGuid().ToString("N")[..8];
            studies.Add(chaos);
            Process? last = null;
            while (last is null)
            {
                (++starts).ShouldBeLessThan(60, "the chaos run never finished");
                var controller = Tool.Start(Run(chaos), Subset);
                var killed = false;
                while (!controller.HasExited && (programKills < ProgramKills || controllerKills < ControllerKills))
                {
                    // Each new program start is hit at a random moment of its life: loading, training, or saving a checkpoint.
                    if (await NextProgram(chaos, controller, seen) is not { } program) break;
                    await Task.WhenAny(controller.WaitForExitAsync(), Task.Delay(random.Next(300, 2500)));
                    if (controller.HasExited) break;
                    // Every fifth blow hits the controller (until five have), the rest the program.
                    if (controllerKills < ControllerKills && (programKills >= ProgramKills || (programKills + controllerKills) % 5 == 4))
                    {
                        controller.Kill(); // the controller alone, as a crash would: its program is left running
                        await controller.WaitForExitAsync();
                        controllerKills++;
                        killed = true;
                    }
                    else if (programKills < ProgramKills && Kill(program)) programKills++;
                }
                if (!killed)
                {
                    await controller.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
                    last = controller; // it ended by itself: the run is over
                }
                else controller.Dispose();
            }
            using (last) last.ExitCode.ShouldBe(3);
        }

        programKills.ShouldBe(ProgramKills);
        controllerKills.ShouldBe(ControllerKills);
        var restarts = 0;
        foreach (var chaos in studies) restarts += await EndsAsUnbroken(chaos, calm);
        restarts.ShouldBeGreaterThanOrEqualTo(1); // trial logs say the kills were seen and resumed from
    }

    /// <summary>Checks a chaos study against the unbroken one; returns the SIGKILLs its trial logs recorded.</summary>
    private static async Task<int> EndsAsUnbroken(string chaos, string calm)
    {
        var expected = await Trials(calm);
        var trials = await Trials(chaos);
        trials.Select(t => t.Number).ShouldBe([1, 2, 3]); // every trial exactly once
        trials.ShouldAllBe(t => t.State == "completed" && t.Epochs == 3);
        trials.Select(t => t.Values).ShouldBe(expected.Select(t => t.Values));
        trials.Select(t => t.Value).ShouldBe(expected.Select(t => t.Value)); // no result lost or changed by a resume
        foreach (var n in new[] { 1, 2, 3 })
            Metrics(chaos, n).ShouldBe(Metrics(calm, n), $"trial {n}'s metrics per epoch");
        (await Best(chaos)).ShouldBe(trials.Max(t => t.Value));

        var checkpoints = Directory.GetDirectories(StudyFolder(chaos), "epoch-*", SearchOption.AllDirectories);
        checkpoints.ShouldNotBeEmpty();
        checkpoints.Where(c => !CheckpointStore.Verify(c)).ShouldBeEmpty(); // never half-written
        return Directory.GetFiles(StudyFolder(chaos), "trial.log", SearchOption.AllDirectories)
            .Sum(f => File.ReadAllText(f).Split("was killed (SIGKILL").Length - 1);
    }

    /// <summary>
    /// The pid of a training program of the study that is running now and was not seen before in that trial
    /// folder (the trial worker runs trial after trial in one process); null when the controller ended first.
    /// </summary>
    private static async Task<int?> NextProgram(string study, Process controller, HashSet<(string, int)> seen)
    {
        while (!controller.HasExited)
        {
            foreach (var pidFile in StudyFolderOrNull(study) is { } folder ? Directory.GetFiles(folder, "program.pid", SearchOption.AllDirectories) : [])
            {
                try
                {
                    if (!int.TryParse(File.ReadAllText(pidFile), out var pid) || pid == controller.Id || !seen.Add((pidFile, pid))) continue;
                    using var program = Process.GetProcessById(pid);
                    if (program.ProcessName == "dotnet" && !program.HasExited) return pid;
                }
                catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException) { } // gone meanwhile
            }
            await Task.Delay(100);
        }
        return null;
    }

    /// <summary>SIGKILLs the program alone; false when it had already ended.</summary>
    private static bool Kill(int pid)
    {
        try
        {
            using var program = Process.GetProcessById(pid);
            if (program.HasExited) return false;
            program.Kill();
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException) { return false; }
    }

    private static string? StudyFolderOrNull(string study) =>
        Directory.Exists(Path.Combine(Mnist.SampleFolder, ".autotune", "studies"))
            ? Directory.GetDirectories(Path.Combine(Mnist.SampleFolder, ".autotune", "studies"), study + "-*").SingleOrDefault()
            : null;

    private static string StudyFolder(string study) => StudyFolderOrNull(study) ?? throw new DirectoryNotFoundException($"no trial folders for study {study}");

    private static List<string> Metrics(string study, int trial) =>
        MetricsFile.Read(Path.Combine(StudyFolder(study), "trials", trial.ToString("D4"), TrialEnvironment.MetricsFile))
            .Select(e => $"{e.Epoch}: accuracy {e.Metrics["accuracy"]:R}, loss {e.Metrics["loss"]:R}").ToList();

    private sealed record TrialRow(int Number, string State, double? Value, int Epochs, string Values);

    private static async Task<List<TrialRow>> Trials(string study)
    {
        var r = await Tool.RunAsync(["trials", Mnist.SampleFolder, "--study", study, "--json"]);
        r.ExitCode.ShouldBe(0, r.All);
        using var doc = JsonDocument.Parse(r.Output);
        return doc.RootElement.GetProperty("trials").EnumerateArray().Select(t => new TrialRow(
            t.GetProperty("number").GetInt32(), t.GetProperty("state").GetString()!,
            t.GetProperty("value").ValueKind == JsonValueKind.Number ? t.GetProperty("value").GetDouble() : null,
            t.GetProperty("epochs").GetInt32(), t.GetProperty("values").GetRawText())).ToList();
    }

    private static async Task<double?> Best(string study)
    {
        var r = await Tool.RunAsync(["report", Mnist.SampleFolder, "--study", study, "--out", Path.Combine(StudyFolder(study), "report")]);
        r.ExitCode.ShouldBe(0, r.All);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(StudyFolder(study), "report", "report.json")));
        return doc.RootElement.GetProperty("best").GetProperty("value").GetDouble();
    }
}

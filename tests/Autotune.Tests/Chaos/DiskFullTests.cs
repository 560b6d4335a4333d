using System.Text.Json;
using Autotune.Tests.Docker;
using Autotune.Tests.Support;

namespace Autotune.Tests.Chaos;

/// <summary>
/// The disk fills up under a running trial or study (a small tmpfs, filled on cue): the tool ends with
/// exit 5 and one line saying so, and what was written before (the last checkpoint, the study) is
/// whole, so the same command resumes once there is room again.
/// </summary>
[Collection(ToyTunerCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DiskFullTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("autotune-diskfull-").FullName;

    [Fact]
    public async Task A_disk_that_fills_during_training_ends_the_trial_with_exit_5_and_leaves_the_last_checkpoint_whole()
    {
        using var disk = new Tmpfs(Path.Combine(scratch, "disk"), 4);
        var trial = Path.Combine(disk.Path, "trial");
        var checkpoints = Path.Combine(trial, TrialEnvironment.CheckpointFolder);
        var filled = false;

        var r = await Tool.RunAsync(["train", ToyProgram.ProjectFolder, "--trial-dir", trial, "--epochs", "8", "--retries", "0"],
            new Dictionary<string, string> { ["TOY_EPOCH_DELAY_MS"] = "800", ["TOY_SAMPLES"] = "2000" },
            onLine: line =>
            {
                // After the second epoch's checkpoint: the next metrics line or checkpoint finds no room.
                if (filled || !Directory.Exists(Path.Combine(checkpoints, "epoch-0002"))) return;
                filled = true;
                disk.Fill();
            }, timeout: TimeSpan.FromMinutes(6));

        filled.ShouldBeTrue(r.All);
        r.ExitCode.ShouldBe(5, r.All);
        r.Error.Trim().Split('\n').Length.ShouldBe(1, r.Error);
        r.Error.ShouldContain("disk", Case.Insensitive);
        var latest = new CheckpointStore(checkpoints).Latest().ShouldNotBeNull();
        latest.Epoch.ShouldBeGreaterThanOrEqualTo(2);
        Directory.GetDirectories(checkpoints, "epoch-*").ShouldAllBe(c => CheckpointStore.Verify(c)); // no half-written one kept as complete

        disk.Free();
        var resumed = await Tool.RunAsync(["train", ToyProgram.ProjectFolder, "--trial-dir", trial, "--epochs", "8"],
            new Dictionary<string, string> { ["TOY_SAMPLES"] = "2000" }, timeout: TimeSpan.FromMinutes(6));
        resumed.ExitCode.ShouldBe(0, resumed.All);
        resumed.Output.ShouldContain($"resumed from epoch {latest.Epoch}");
        MetricsFile.Read(Path.Combine(trial, TrialEnvironment.MetricsFile)).Select(e => e.Epoch).ShouldBe(Enumerable.Range(1, 8));
    }

    [Fact]
    public async Task A_disk_that_fills_during_a_study_ends_the_run_with_exit_5_and_the_study_resumes_intact_once_there_is_room()
    {
        // A copy of the toy beside it (it inherits the repository's build settings), its .autotune on a small tmpfs.
        var model = Path.Combine(Path.GetDirectoryName(ToyTuner.Folder)!, ".diskfull-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(model);
        try
        {
            foreach (var f in new[] { "ToyTuner.csproj", "Program.cs", "Hyper.cs" }) File.Copy(Path.Combine(ToyTuner.Folder, f), Path.Combine(model, f));
            using var disk = new Tmpfs(Path.Combine(model, ".autotune"), 48);
            string[] run = ["run", model, "--target", "score>=0.99", "--max-trials", "4", "--max-epochs", "3", "--seed", "3", "--no-apply", "--no-asha"];
            var filled = false;

            var r = await Tool.RunAsync(run, new Dictionary<string, string> { ["TOY_EPOCH_DELAY_MS"] = "300" }, onLine: line =>
            {
                if (filled || !line.StartsWith("[run] trial 2 completed", StringComparison.Ordinal)) return;
                filled = true;
                disk.Fill();
            }, timeout: TimeSpan.FromMinutes(8));

            filled.ShouldBeTrue(r.All);
            r.ExitCode.ShouldBe(5, r.All);
            r.Error.Trim().Split('\n').Length.ShouldBe(1, r.Error);
            disk.Free();
            var before = await Trials(model);
            before.Where(t => t.State == "completed").Select(t => t.Number).ShouldBe([1, 2]); // what was recorded before the disk filled is there

            var again = await Tool.RunAsync(run, new Dictionary<string, string> { ["TOY_EPOCH_DELAY_MS"] = "300" }, timeout: TimeSpan.FromMinutes(8));
            again.ExitCode.ShouldBe(3, again.All); // 0.99 is out of the toy's reach: the whole budget is spent
            var after = await Trials(model);
            after.Select(t => t.Number).ShouldBe([1, 2, 3, 4]);
            after.ShouldAllBe(t => t.State == "completed" && t.Epochs == 3);
            after.Take(2).Select(t => t.Value).ShouldBe(before.Take(2).Select(t => t.Value));
        }
        finally
        {
            Directory.Delete(model, recursive: true);
        }
    }

    private static async Task<List<(int Number, string State, double? Value, int Epochs)>> Trials(string model)
    {
        var r = await Tool.RunAsync(["trials", model, "--json"]);
        r.ExitCode.ShouldBe(0, r.All);
        using var doc = JsonDocument.Parse(r.Output);
        return doc.RootElement.GetProperty("trials").EnumerateArray().Select(t => (
            t.GetProperty("number").GetInt32(), t.GetProperty("state").GetString()!,
            t.GetProperty("value").ValueKind == JsonValueKind.Number ? t.GetProperty("value").GetDouble() : (double?)null,
            t.GetProperty("epochs").GetInt32())).ToList();
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}

using System.Diagnostics;
using System.Text.Json;
using Autotune.Tests.Support;

namespace Autotune.Tests.Tune;

/// <summary>`autotune run --parallel`: several trials at once, each in its own workspace, one writer to the store.</summary>
[Collection(ToyTunerCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ParallelRunTests
{
    private static string[] Run(string study) =>
        ["run", ToyTuner.Folder, "--target", "score>=0.99", "--max-trials", "5", "--max-epochs", "3", "--seed", "3",
         "--study", study, "--parallel", "2", "--no-apply", "--no-asha"];

    [Fact]
    public async Task Two_trials_run_at_once_in_their_own_workspaces_and_every_trial_is_recorded_once()
    {
        var study = ToyTuner.NewStudy("parallel");
        var slow = new Dictionary<string, string> { ["TOY_EPOCH_DELAY_MS"] = "700" };

        var r = await Tool.RunAsync(Run(study), slow, timeout: TimeSpan.FromMinutes(8));

        r.ExitCode.ShouldBe(3, r.All); // 0.99 is out of the toy's reach in 3 epochs
        r.Output.ShouldContain("2 at once");
        r.Output.ShouldContain("[trial 1] epoch 1");
        r.Output.ShouldContain("[trial 2] epoch 1");
        var lines = r.Output.Split('\n');
        // Trial 2 starts before trial 1 ends: they overlap.
        Array.FindIndex(lines, l => l.StartsWith("[run] trial 2:")).ShouldBeLessThan(Array.FindIndex(lines, l => l.StartsWith("[run] trial 1 completed")));
        Directory.Exists(Path.Combine(ToyTuner.Folder, ".autotune", "workspace-2")).ShouldBeTrue();
        var trials = await Trials(study);
        trials.Select(t => t.Number).ShouldBe([1, 2, 3, 4, 5]);
        trials.ShouldAllBe(t => t.State == "completed" && t.Epochs == 3);
    }

    [Fact]
    public async Task Killing_a_parallel_controller_and_running_again_records_every_trial_exactly_once()
    {
        var study = ToyTuner.NewStudy("parallel-kill");
        var slow = new Dictionary<string, string> { ["TOY_EPOCH_DELAY_MS"] = "1500" };

        (await Tool.KillControllerAfter(Run(study), slow, "[run] trial 3:", TimeSpan.FromSeconds(1))).ShouldBeTrue("the run never started trial 3");
        var again = await Tool.RunAsync(Run(study), slow, timeout: TimeSpan.FromMinutes(8));

        again.ExitCode.ShouldBe(3, again.All);
        again.Output.ShouldContain("(resumed)");
        var trials = await Trials(study);
        trials.Select(t => t.Number).ShouldBe([1, 2, 3, 4, 5]);
        trials.ShouldAllBe(t => t.State == "completed" && t.Epochs == 3);
    }

    private static async Task<List<(int Number, string State, int Epochs)>> Trials(string study)
    {
        var r = await Tool.RunAsync(["trials", ToyTuner.Folder, "--study", study, "--json"]);
        r.ExitCode.ShouldBe(0, r.All);
        using var doc = JsonDocument.Parse(r.Output);
        return doc.RootElement.GetProperty("trials").EnumerateArray()
            .Select(t => (t.GetProperty("number").GetInt32(), t.GetProperty("state").GetString()!, t.GetProperty("epochs").GetInt32())).ToList();
    }
}

using System.Diagnostics;
using System.Text.Json;
using Autotune.Tests.Support;

namespace Autotune.Tests.Tune;

/// <summary>`autotune run` on the real MNIST sample (a subset of the training images, for time).</summary>
[Collection(SampleCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RunOnSampleTests
{
    private static readonly Dictionary<string, string> Subset = new() { ["MNIST_TRAIN_LIMIT"] = "3000" };

    private static string[] Run(string study, string target, int trials) =>
        ["run", Mnist.SampleFolder, "--target", target, "--max-trials", trials.ToString(), "--max-epochs", "2",
         "--seed", "5", "--study", study, "--no-apply"];

    [Fact]
    public async Task Run_reaches_its_target_on_real_data_within_its_budget_and_leaves_the_source_alone()
    {
        Mnist.Require();
        var hyper = Path.Combine(Mnist.SampleFolder, "Hyper.cs");
        var before = await File.ReadAllBytesAsync(hyper);
        var study = "reach-" + Guid.NewGuid().ToString("N")[..8];

        var r = await Tool.RunAsync(Run(study, "accuracy>=0.93", 6), Subset, timeout: TimeSpan.FromMinutes(10));

        r.ExitCode.ShouldBe(0, r.All);
        r.Output.ShouldContain("target reached");
        var trials = await Trials(study);
        trials.Count.ShouldBeLessThanOrEqualTo(6);
        trials.ShouldContain(t => t.State == "completed" && t.Value >= 0.93);
        (await File.ReadAllBytesAsync(hyper)).ShouldBe(before);
    }

    [Fact]
    public async Task Killing_the_controller_twice_and_running_again_records_every_trial_exactly_once()
    {
        Mnist.Require();
        var study = "kill-" + Guid.NewGuid().ToString("N")[..8];
        var args = Run(study, "accuracy>=0.999", 4); // out of reach: the whole budget is spent

        foreach (var killAt in new[] { "[run] trial 2", "[run] trial 3" })
            (await Tool.KillControllerAfter(args, Subset, killAt, TimeSpan.FromSeconds(2))).ShouldBeTrue($"the run never printed '{killAt}'");
        var last = await Tool.RunAsync(args, Subset, timeout: TimeSpan.FromMinutes(10));

        last.ExitCode.ShouldBe(3, last.All);
        last.Output.ShouldContain("(resumed)");
        var trials = await Trials(study);
        trials.Select(t => t.Number).ShouldBe([1, 2, 3, 4]);
        trials.ShouldAllBe(t => t.State == "completed" || t.State == "pruned" || t.State == "failed");
        trials.ShouldAllBe(t => t.Epochs >= 1);
    }

    private sealed record TrialRow(int Number, string State, double? Value, int Epochs);

    private static async Task<List<TrialRow>> Trials(string study)
    {
        var r = await Tool.RunAsync(["trials", Mnist.SampleFolder, "--study", study, "--json"]);
        r.ExitCode.ShouldBe(0, r.All);
        using var doc = JsonDocument.Parse(r.Output);
        return doc.RootElement.GetProperty("trials").EnumerateArray().Select(t => new TrialRow(
            t.GetProperty("number").GetInt32(), t.GetProperty("state").GetString()!,
            t.GetProperty("value").ValueKind == JsonValueKind.Number ? t.GetProperty("value").GetDouble() : null,
            t.GetProperty("epochs").GetInt32())).ToList();
    }
}

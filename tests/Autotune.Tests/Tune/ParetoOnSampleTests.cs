using System.Text.Json;
using Autotune.Tests.Support;

namespace Autotune.Tests.Tune;

/// <summary>
/// `autotune run --minimize params` on the real MNIST sample, which reports its parameter count through the SDK. Two
/// configurations are queued and trained side by side (`--parallel 2`), so both can reach the target before the study
/// ends: its own values (a 128-unit head, 403,242 parameters) and the same network with a 32-unit head (about a quarter of
/// that). Few images and one epoch a trial, and a target both clear: the test is about which trial the study picks.
/// </summary>
[Collection(SampleCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ParetoOnSampleTests
{
    private static readonly Dictionary<string, string> Subset = new() { ["MNIST_TRAIN_LIMIT"] = "1000", ["MNIST_TEST_LIMIT"] = "500" };

    [Fact]
    public async Task Of_two_configurations_that_reach_the_target_the_study_picks_the_one_with_fewer_parameters_and_draws_the_front()
    {
        Mnist.Require();
        var study = "pareto-" + Guid.NewGuid().ToString("N")[..8];
        string[] target = ["--target", "accuracy>=0.5", "--minimize", "params", "--study", study];
        foreach (var values in new[] { "DenseUnits=128", "DenseUnits=32" })
        {
            var queued = await Tool.RunAsync(["enqueue", Mnist.SampleFolder, "--values", values, .. target]);
            queued.ExitCode.ShouldBe(0, queued.All);
        }

        var r = await Tool.RunAsync(["run", Mnist.SampleFolder, .. target, "--max-trials", "2", "--parallel", "2", "--max-epochs", "1", "--seed", "3", "--no-apply"],
            Subset, timeout: TimeSpan.FromMinutes(6));

        r.ExitCode.ShouldBe(0, r.All);
        r.Output.ShouldContain("target accuracy>=0.5, minimize params");
        r.Output.ShouldContain("pareto front (accuracy, params): ");
        var folder = Path.Combine(Mnist.SampleFolder, ".autotune", "report");
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "report.json")));
        var root = report.RootElement;
        root.GetProperty("study").GetString().ShouldBe(study);
        root.GetProperty("minimize").EnumerateArray().Select(e => e.GetString()).ShouldBe(["params"]);
        var trials = root.GetProperty("trials").EnumerateArray().ToList();
        var size = trials.ToDictionary(t => t.GetProperty("number").GetInt32(), t => t.GetProperty("finalMetrics").GetProperty("params").GetDouble());
        size[1].ShouldBe(403_242);
        size[2].ShouldBeLessThan(size[1]);
        var best = root.GetProperty("best").GetProperty("number").GetInt32();
        if (trials.All(t => t.GetProperty("reachesTarget").GetBoolean()))
            best.ShouldBe(2, "both reached the target: the smaller one is the best, whatever its accuracy");
        else
            trials.Single(t => t.GetProperty("number").GetInt32() == best).GetProperty("reachesTarget").GetBoolean().ShouldBeTrue();
        r.Output.ShouldContain($"best trial {best}, accuracy ");
        r.Output.ShouldContain($", params {size[best]}:");
        var front = root.GetProperty("pareto").GetProperty("front").EnumerateArray().Select(t => t.GetProperty("number").GetInt32()).ToList();
        front.ShouldContain(2, "nothing is smaller than trial 2");
        front.ShouldContain(best);
        File.Exists(Path.Combine(folder, "pareto.png")).ShouldBeTrue();
    }
}

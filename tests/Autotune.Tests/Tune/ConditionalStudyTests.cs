using System.Globalization;
using System.Text.Json;
using Autotune.Tests.Support;

namespace Autotune.Tests.Tune;

/// <summary>
/// `autotune run` on tests/programs/conditional-optimizer, a TorchSharp MLP trained on real MNIST whose block chooses
/// between Adam and SGD and whose Momentum applies only with SGD (<c>[When(nameof(Optimizer), "sgd")]</c>). Adam with
/// any momentum is the baseline again, so every trial after it must be SGD with a momentum of its own. One short epoch
/// on 1,000 images a trial: the test is about which values are tried, not about accuracy.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ConditionalStudyTests
{
    private static string Folder => Path.Combine(Tool.RepositoryRoot, "tests", "programs", "conditional-optimizer");

    [Fact]
    public async Task A_study_of_a_conditional_optimizer_tries_adam_once_and_then_only_sgd_with_momenta_of_its_own()
    {
        Mnist.Require();
        var study = "conditional-" + Guid.NewGuid().ToString("N")[..8];
        var source = await File.ReadAllTextAsync(Path.Combine(Folder, "Hyper.cs"));

        var r = await Tool.RunAsync(
            ["run", Folder, "--target", "accuracy>=0.99", "--max-trials", "4", "--seed", "1", "--study", study, "--no-apply"],
            new Dictionary<string, string> { ["MNIST_TRAIN_LIMIT"] = "1000", ["MNIST_TEST_LIMIT"] = "500" }, timeout: TimeSpan.FromMinutes(6));

        r.ExitCode.ShouldBeOneOf([0, 3], r.All);
        r.Output.ShouldContain("[run] search space: Optimizer {adam, sgd}, Momentum 0..0.95 when Optimizer = \"sgd\"");
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Folder, ".autotune", "report", "report.json")));
        var trials = report.RootElement.GetProperty("trials").EnumerateArray()
            .Select(t => t.GetProperty("values"))
            .Select(v => (Optimizer: v.GetProperty("Optimizer").GetString(), Momentum: v.GetProperty("Momentum").GetDouble()))
            .ToList();
        trials.Count.ShouldBe(4, r.Output);
        trials[0].ShouldBe(("adam", 0.0)); // the baseline: the code's values
        trials.Skip(1).ShouldAllBe(t => t.Optimizer == "sgd", r.Output);
        trials.Skip(1).Select(t => t.Momentum).Distinct().Count().ShouldBe(3);
        // Each trial trained what it says: the program printed the momentum it used.
        foreach (var (optimizer, momentum) in trials)
            r.Output.ShouldContain($"optimizer {optimizer}, momentum {momentum.ToString(CultureInfo.InvariantCulture)}");
        (await File.ReadAllTextAsync(Path.Combine(Folder, "Hyper.cs"))).ShouldBe(source);
    }
}

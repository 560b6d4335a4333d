using System.Text.Json;
using Autotune.Tests.Support;

namespace Autotune.Tests.Samples;

/// <summary>
/// Both samples end to end with the process runner: detect names each one's framework, architecture and
/// runtime image, `image build` picks a template of the same framework, and `run` tunes each to its target
/// (or says why it did not). The ML.NET sample is tuned in a copy; MNIST in place, on a subset, for time.
/// </summary>
[Collection(SampleCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SampleSuiteTests : IDisposable
{
    private readonly List<string> copies = [];

    private string CopyOfTabularSample(string name)
    {
        var copy = BreastCancer.CopySample(name);
        copies.Add(copy);
        return copy;
    }

    [Fact]
    public async Task Detect_finds_an_ML_NET_tree_ensemble_and_picks_the_mlnet_image_for_the_tabular_sample()
    {
        var profile = await Detect(BreastCancer.SampleFolder);
        profile.Framework.ShouldBe("ML.NET");
        profile.Architecture.ShouldBe("TreeEnsemble");
        profile.Image.ShouldBe("mlnet");
        profile.Parameters.ShouldBe(["NumberOfTrees", "NumberOfLeaves", "LearningRate", "MinimumExampleCountPerLeaf", "FeatureFraction"]);
    }

    [Fact]
    public async Task Detect_finds_a_TorchSharp_CNN_and_picks_a_TorchSharp_image_for_the_MNIST_sample()
    {
        var profile = await Detect(Mnist.SampleFolder);
        profile.Framework.ShouldBe("TorchSharp");
        profile.Architecture.ShouldBe("CNN");
        profile.Image.ShouldStartWith("torchsharp-"); // -cuda: the sample asks for CUDA and falls back to the CPU
    }

    [Theory]
    [InlineData("tabular-breast-cancer", "mlnet")]
    [InlineData("mnist-cnn", "torchsharp-cuda")] // the image detect's profile picks: the sample takes CUDA when there is one
    public async Task Image_build_renders_the_template_of_the_samples_framework(string sample, string template)
    {
        var r = await Tool.RunAsync(["image", "build", Path.Combine(Tool.RepositoryRoot, "samples", sample), "--dry-run"]);
        r.ExitCode.ShouldBe(0, r.All);
        r.Output.ShouldContain($"# autotune runtime image \"{template}\"");
        r.Output.TrimEnd().Split('\n')[^1].ShouldStartWith($"autotune/{template}:");
    }

    [Fact]
    public async Task Run_tunes_the_tabular_sample_from_values_that_miss_the_target_to_values_that_reach_it_and_applies_them()
    {
        BreastCancer.Require();
        var copy = CopyOfTabularSample("tabular");
        var hyper = Path.Combine(copy, "Hyper.cs");
        var before = await File.ReadAllTextAsync(hyper);

        // The target and the budget come from the sample's autotune.json (auc>=0.99, 20 trials).
        var r = await Tool.RunAsync(["run", copy, "--seed", "5"], timeout: TimeSpan.FromMinutes(10));

        r.ExitCode.ShouldBe(0, r.All);
        r.Output.ShouldContain("target reached");
        var trials = await Trials(copy, null);
        trials[0].Value!.Value.ShouldBeLessThan(0.99, "the block's own values (trial 1) should miss the target");
        trials.ShouldContain(t => t.State == "completed" && t.Value >= 0.99);
        trials.Count.ShouldBeLessThanOrEqualTo(20);
        r.Output.ShouldContain($"best values written into {copy}");
        (await File.ReadAllTextAsync(hyper)).ShouldNotBe(before);
        (await File.ReadAllTextAsync(Path.Combine(BreastCancer.SampleFolder, "Hyper.cs"))).ShouldBe(before);
    }

    [Fact]
    public async Task Run_on_the_tabular_sample_that_cannot_reach_its_target_exits_3_and_says_the_budget_is_spent()
    {
        BreastCancer.Require();
        var copy = CopyOfTabularSample("unreachable");

        var r = await Tool.RunAsync(["run", copy, "--target", "auc>=0.99999", "--max-trials", "2", "--seed", "5", "--no-apply"],
            timeout: TimeSpan.FromMinutes(10));

        r.ExitCode.ShouldBe(3, r.All);
        r.Output.ShouldContain("target not reached (budget spent: 2 trial(s)): best trial");
        (await Trials(copy, null)).Select(t => t.State).ShouldBe(["completed", "completed"]);
    }

    [Fact]
    public async Task Run_tunes_the_MNIST_sample_on_a_subset_to_a_low_target()
    {
        Mnist.Require();
        var study = "suite-" + Guid.NewGuid().ToString("N")[..8];

        var r = await Tool.RunAsync(["run", Mnist.SampleFolder, "--target", "accuracy>=0.85", "--max-trials", "3", "--max-epochs", "1",
            "--seed", "5", "--study", study, "--no-apply"], new Dictionary<string, string> { ["MNIST_TRAIN_LIMIT"] = "2000" },
            timeout: TimeSpan.FromMinutes(10));

        r.ExitCode.ShouldBe(0, r.All);
        r.Output.ShouldContain("target reached");
        (await Trials(Mnist.SampleFolder, study)).ShouldContain(t => t.State == "completed" && t.Value >= 0.85);
    }

    private sealed record Profile(string Framework, string Architecture, string Image, IReadOnlyList<string> Parameters);

    private static async Task<Profile> Detect(string folder)
    {
        var r = await Tool.RunAsync(["detect", folder, "--json"]);
        r.ExitCode.ShouldBe(0, r.All);
        using var doc = JsonDocument.Parse(r.Output);
        var root = doc.RootElement;
        return new Profile(root.GetProperty("framework").GetProperty("name").GetString()!,
            root.GetProperty("architecture").GetProperty("name").GetString()!,
            root.GetProperty("image").GetProperty("name").GetString()!,
            root.GetProperty("block").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToList());
    }

    private sealed record TrialRow(int Number, string State, double? Value);

    private static async Task<List<TrialRow>> Trials(string folder, string? study)
    {
        var r = await Tool.RunAsync(study is null ? ["trials", folder, "--json"] : ["trials", folder, "--study", study, "--json"]);
        r.ExitCode.ShouldBe(0, r.All);
        using var doc = JsonDocument.Parse(r.Output);
        return doc.RootElement.GetProperty("trials").EnumerateArray().Select(t => new TrialRow(
            t.GetProperty("number").GetInt32(), t.GetProperty("state").GetString()!,
            t.GetProperty("value").ValueKind == JsonValueKind.Number ? t.GetProperty("value").GetDouble() : null)).OrderBy(t => t.Number).ToList();
    }

    public void Dispose()
    {
        foreach (var copy in copies.Where(Directory.Exists)) Directory.Delete(copy, recursive: true);
    }
}

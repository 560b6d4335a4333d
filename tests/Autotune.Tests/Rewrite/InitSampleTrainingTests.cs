using Autotune.Tests.Support;

namespace Autotune.Tests.Rewrite;

/// <summary>init's promise on the real sample: the lifted program builds and trains exactly as the original.</summary>
[Collection(SampleCollection.Name)]
[Trait("Category", "Integration")]
public sealed class InitSampleTrainingTests : IDisposable
{
    // Inside the sample's .autotune folder: under the repository, so its package versions apply, and ignored by git and MSBuild globs.
    private readonly string scratch = Path.Combine(Mnist.SampleFolder, ".autotune", "init-test-" + Guid.NewGuid().ToString("N")[..8]);
    private static readonly Dictionary<string, string> Subset = new() { ["MNIST_TRAIN_LIMIT"] = "2000" };

    [Fact]
    public async Task The_sample_without_its_block_lifted_by_init_trains_one_epoch_to_the_same_metrics_as_the_original()
    {
        Mnist.Require();
        var model = Path.Combine(scratch, "model");
        InitFixtures.WriteSampleWithoutBlock(model);
        var init = await Tool.RunAsync(["init", model, "--yes"]);
        init.ExitCode.ShouldBe(0, init.All);

        var lifted = await Tool.RunAsync(["train", model, "--trial-dir", Path.Combine(scratch, "lifted"), "--epochs", "1", "--seed", "3"], Subset, timeout: TimeSpan.FromMinutes(10));
        lifted.ExitCode.ShouldBe(0, lifted.All);
        var original = await Tool.RunAsync(["train", Mnist.SampleFolder, "--trial-dir", Path.Combine(scratch, "original"), "--epochs", "1", "--seed", "3", "--values", "ConvLayers=2"], Subset, timeout: TimeSpan.FromMinutes(10));
        original.ExitCode.ShouldBe(0, original.All);

        var a = MetricsFile.Read(Path.Combine(scratch, "original", TrialEnvironment.MetricsFile)).Single();
        var b = MetricsFile.Read(Path.Combine(scratch, "lifted", TrialEnvironment.MetricsFile)).Single();
        b.Metrics["accuracy"].ShouldBe(a.Metrics["accuracy"]);
        b.Metrics["loss"].ShouldBe(a.Metrics["loss"]);
        b.Metrics["test_loss"].ShouldBe(a.Metrics["test_loss"]);
    }

    public void Dispose()
    {
        try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
    }
}

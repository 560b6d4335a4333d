using Autotune.Tests.Support;

namespace Autotune.Tests.Tune;

/// <summary>`autotune run --device` with what this CPU-only machine cannot give.</summary>
[Collection(SampleCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RunDeviceTests
{
    private static string[] Run(string device) =>
        ["run", Mnist.SampleFolder, "--target", "accuracy>=0.9", "--max-trials", "1", "--max-epochs", "1",
         "--study", "device-" + Guid.NewGuid().ToString("N")[..8], "--no-apply", "--device", device];

    [Fact]
    public async Task An_unknown_device_is_invalid_input_in_one_line()
    {
        var r = await Tool.RunAsync(Run("tpu"));
        r.ExitCode.ShouldBe(2, r.All);
        r.Error.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain("--device 'tpu'");
    }

    [Fact]
    public async Task Cuda_without_a_gpu_ends_the_study_as_an_infrastructure_failure_in_one_line()
    {
        Mnist.Require();
        var r = await Tool.RunAsync(Run("cuda:7"), new Dictionary<string, string> { ["MNIST_TRAIN_LIMIT"] = "300" }, timeout: TimeSpan.FromMinutes(10));
        r.ExitCode.ShouldBe(5, r.All);
        r.Error.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain("device 'cuda:7' asked for, but CUDA is not available");
    }
}

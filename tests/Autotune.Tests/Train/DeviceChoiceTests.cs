using Autotune.Tests.Support;

namespace Autotune.Tests.Train;

/// <summary>--device reaches the program through the trial environment, on this CPU-only machine.</summary>
[Collection(SampleCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DeviceChoiceTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("autotune-device-").FullName;
    private static readonly Dictionary<string, string> Tiny = new() { ["MNIST_TRAIN_LIMIT"] = "500" };

    private Task<Tool.Result> Train(string device) =>
        Tool.RunAsync(["train", Mnist.SampleFolder, "--epochs", "1", "--device", device, "--trial-dir", Path.Combine(scratch, device.Replace(':', '-'))], Tiny);

    [Fact]
    public async Task Auto_falls_back_to_the_cpu_and_says_so()
    {
        Mnist.Require();
        var r = await Train("auto");
        r.ExitCode.ShouldBe(0, r.All);
        r.Output.ShouldContain("device: cpu (auto: CUDA is not available here, training on the CPU)");
    }

    [Fact]
    public async Task Cpu_asked_for_is_the_device_the_program_trains_on()
    {
        Mnist.Require();
        var r = await Train("cpu");
        r.ExitCode.ShouldBe(0, r.All);
        r.Output.ShouldContain("device: cpu (asked for cpu)");
    }

    [Fact]
    public async Task Cuda_without_a_gpu_is_an_infrastructure_failure_in_one_line()
    {
        Mnist.Require();
        var r = await Train("cuda:1");
        r.ExitCode.ShouldBe(5, r.All);
        r.Error.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain("device 'cuda:1' asked for, but CUDA is not available");
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}

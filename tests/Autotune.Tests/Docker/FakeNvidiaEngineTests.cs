using Autotune.Train;
using Autotune.Train.Docker;

namespace Autotune.Tests.Docker;

/// <summary>
/// A second engine whose PATH holds a fake nvidia-container-runtime-hook (reads its stdin, exits 0):
/// dockerd then accepts GPU requests and sets NVIDIA_VISIBLE_DEVICES, which tests the plumbing on a CPU machine.
/// </summary>
public sealed class FakeNvidiaEngine : IAsyncLifetime
{
    public Dockerd? Engine { get; private set; }
    private string? hookFolder;

    public async ValueTask InitializeAsync()
    {
        if (Dockerd.Find() is null || Environment.UserName != "root") return;
        hookFolder = Directory.CreateTempSubdirectory("autotune-fake-nvidia-").FullName;
        var hook = Path.Combine(hookFolder, "nvidia-container-runtime-hook");
        File.WriteAllText(hook, "#!/bin/sh\ncat > /dev/null\nexit 0\n");
        File.SetUnixFileMode(hook, (UnixFileMode)0b111_101_101);
        Engine = await Dockerd.StartAsync("gpu", hookFolder);
        using var client = Engine.Client();
        await BaseImage.ImportAsync(client);
    }

    public async ValueTask DisposeAsync()
    {
        if (Engine is not null) await Engine.DisposeAsync();
        if (hookFolder is not null) Directory.Delete(hookFolder, recursive: true);
    }
}

[Collection("Docker")]
[Trait("Category", "Docker")]
public sealed class FakeNvidiaEngineTests(DockerEngineFixture docker, FakeNvidiaEngine gpuEngine) : IClassFixture<FakeNvidiaEngine>, IDisposable
{
    private readonly string trialFolder = Directory.CreateTempSubdirectory("autotune-docker-gpu-").FullName;

    [Theory]
    [InlineData("all", "all")]
    [InlineData("device=0,1", "0,1")]
    public async Task A_gpu_request_reaches_the_container_as_NVIDIA_VISIBLE_DEVICES(string gpus, string visible)
    {
        docker.SkipWhenUnavailable();
        var runner = new DockerRunner(new DockerRunnerOptions(DockerEndpoint.Resolve(gpuEngine.Engine!.Endpoint), BaseImage.Tag, "docker-tests", GpuRequest.Parse(gpus)));
        var env = new Dictionary<string, string> { [TrialEnvironment.Folder] = trialFolder, ["TOY_MODE"] = "inspect" };
        var lines = new List<string>();
        var outcome = await runner.RunAsync(new TrialLaunch(docker.Toy, trialFolder, env, TimeSpan.FromSeconds(60)), lines.Add, CancellationToken.None);
        outcome.Succeeded.ShouldBeTrue(string.Join('\n', lines));
        lines.ShouldContain("NVIDIA_VISIBLE_DEVICES=" + visible);
        lines.ShouldNotContain(l => l.Contains("no NVIDIA runtime"));
    }

    public void Dispose() => Directory.Delete(trialFolder, recursive: true);
}

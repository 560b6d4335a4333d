using System.Text.RegularExpressions;
using Autotune.Cli;
using Autotune.Train;
using Autotune.Train.Docker;
using Docker.DotNet.Models;

namespace Autotune.Tests.Docker;

/// <summary>The Docker runner against a real engine started for these tests (see DockerEngineFixture).</summary>
[Collection("Docker")]
[Trait("Category", "Docker")]
public sealed class DockerRunnerTests(DockerEngineFixture docker) : IDisposable
{
    private readonly string trialFolder = Directory.CreateTempSubdirectory("autotune-docker-trial-").FullName;

    private DockerRunner Runner(GpuRequest? gpus = null, long? memory = null, string image = BaseImage.Tag) =>
        new(new DockerRunnerOptions(DockerEndpoint.Resolve(docker.Endpoint), image, "docker-tests", gpus, MemoryBytes: memory));

    private TrialLaunch Launch(params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string>
        {
            [TrialEnvironment.Folder] = trialFolder,
            [TrialEnvironment.Attempt] = "1",
            [TrialEnvironment.Seed] = "11",
        };
        foreach (var (k, v) in extra) env[k] = v;
        return new TrialLaunch(docker.Toy, trialFolder, env, TimeSpan.FromSeconds(60));
    }

    private static TrialSupervisor Supervisor(IRunner runner) => new(runner, new ProgressDisplay(TextWriter.Null, interactive: false));

    private async Task<IList<ContainerListResponse>> ManagedContainersAsync()
    {
        using var client = docker.Engine!.Client();
        return await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [TrialContainer.Label.Managed + "=true"] = true } },
        }, CancellationToken.None);
    }

    [Fact]
    public async Task A_trial_trains_in_a_container_and_reports_its_metrics()
    {
        docker.SkipWhenUnavailable();
        var result = await Supervisor(Runner()).RunAsync(docker.Toy, trialFolder, new TrialSettings(Seed: 11, Epochs: 3), CancellationToken.None);
        result.Epochs.Select(e => e.Epoch).ShouldBe([1, 2, 3]);
        result.FinalMetrics["loss"].ShouldBeLessThan(0.01);
        result.Restarts.ShouldBe(0);
        File.ReadAllText(Path.Combine(trialFolder, TrialSupervisor.LogFile)).ShouldContain("(docker runner)");
        (await ManagedContainersAsync()).ShouldBeEmpty("finished containers are removed");
    }

    [Fact]
    public async Task A_container_killed_mid_run_resumes_from_its_checkpoint_with_at_most_one_epoch_lost_and_the_same_final_metrics()
    {
        docker.SkipWhenUnavailable();
        var settings = new TrialSettings(Seed: 11, Epochs: 6);
        var referenceFolder = Path.Combine(trialFolder, "uninterrupted");
        var reference = await Supervisor(new ProcessRunner()).RunAsync(docker.Toy, referenceFolder, settings, CancellationToken.None);

        // Slow epochs give the kill a moment mid-run; the delay changes nothing that is learnt.
        var runner = Runner();
        var supervisor = new TrialSupervisor(new SlowEpochs(runner, 400), new ProgressDisplay(TextWriter.Null, interactive: false));
        var run = supervisor.RunAsync(docker.Toy, trialFolder, settings, CancellationToken.None);
        var metrics = Path.Combine(trialFolder, TrialEnvironment.MetricsFile);
        var reportedBeforeKill = 0;
        while (!run.IsCompleted)
        {
            reportedBeforeKill = MetricsFile.Read(metrics).Count;
            if (reportedBeforeKill >= 2 && runner.CurrentContainer is { } id)
            {
                using var client = docker.Engine!.Client();
                await client.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "KILL" }, CancellationToken.None);
                break;
            }
            await Task.Delay(50);
        }
        var result = await run;

        result.Restarts.ShouldBe(1);
        result.Attempts[0].ExitCode.ShouldBe(137);
        var resumedFrom = int.Parse(Regex.Match(File.ReadAllText(Path.Combine(trialFolder, TrialSupervisor.LogFile)), @"resumes from the checkpoint of epoch (\d+)").Groups[1].Value);
        (reportedBeforeKill - resumedFrom).ShouldBeLessThanOrEqualTo(1);
        result.Epochs.Select(e => e.Epoch).ShouldBe([1, 2, 3, 4, 5, 6]);
        result.FinalMetrics["loss"].ShouldBe(reference.FinalMetrics["loss"]);
    }

    [Fact]
    public async Task An_out_of_memory_kill_is_reported_with_a_hint_to_lower_the_batch_size_or_raise_the_limit()
    {
        docker.SkipWhenUnavailable();
        var lines = new List<string>();
        var e = await Should.ThrowAsync<AutotuneException>(() => Runner(memory: 96L << 20).RunAsync(Launch(("TOY_MODE", "allocate")), lines.Add, CancellationToken.None));
        e.ExitCode.ShouldBe(ExitCodes.ModelFailed);
        e.Message.ShouldContain("OOMKilled, limit 96 MiB");
        e.Message.ShouldContain("lower the batch size or raise --memory");
        e.Message.ShouldNotContain("\n");
        lines.ShouldContain(l => l.StartsWith("allocated "));
        (await ManagedContainersAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_out_of_memory_kill_under_the_supervisor_leaves_a_result_that_says_failed_and_is_not_restarted()
    {
        docker.SkipWhenUnavailable();
        var runner = new WithEnvironment(Runner(memory: 96L << 20), new Dictionary<string, string> { ["TOY_MODE"] = "allocate" });
        var e = await Should.ThrowAsync<AutotuneException>(() => Supervisor(runner).RunAsync(docker.Toy, trialFolder, new TrialSettings(Retries: 3), CancellationToken.None));
        e.ExitCode.ShouldBe(ExitCodes.ModelFailed);
        e.Message.ShouldContain("lower the batch size or raise --memory");
        using var result = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(trialFolder, TrialSupervisor.ResultFile)));
        result.RootElement.GetProperty("state").GetString().ShouldBe("failed");
        var log = File.ReadAllText(Path.Combine(trialFolder, TrialSupervisor.LogFile));
        log.ShouldContain("OOMKilled");
        log.ShouldNotContain("start 2");
    }

    [Fact]
    public async Task A_program_that_fails_in_its_container_is_reported_with_its_exit_code_and_log_tail()
    {
        docker.SkipWhenUnavailable();
        var runner = new WithEnvironment(Runner(), new Dictionary<string, string> { ["TOY_MODE"] = "fail" });
        var e = await Should.ThrowAsync<AutotuneException>(() => Supervisor(runner).RunAsync(docker.Toy, trialFolder, new TrialSettings(), CancellationToken.None));
        e.ExitCode.ShouldBe(ExitCodes.ModelFailed);
        e.Message.ShouldContain("exited with code 3");
        e.Detail.ShouldNotBeNull().ShouldContain("error: the data folder /data/train is empty");
        (await ManagedContainersAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_silent_container_is_stopped_after_the_silence_limit_and_a_cancelled_one_is_removed()
    {
        docker.SkipWhenUnavailable();
        var launch = Launch(("TOY_EPOCH_DELAY_MS", "20000")) with { SilenceLimit = TimeSpan.FromSeconds(2) };
        var outcome = await Runner().RunAsync(launch, _ => { }, CancellationToken.None);
        outcome.Silent.ShouldBeTrue();
        outcome.Succeeded.ShouldBeFalse();
        outcome.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15));

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Should.ThrowAsync<OperationCanceledException>(() => Runner().RunAsync(Launch(("TOY_EPOCH_DELAY_MS", "20000")), _ => { }, cancel.Token));
        (await ManagedContainersAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_missing_image_gives_one_line_that_names_it_and_how_to_build_it()
    {
        docker.SkipWhenUnavailable();
        var e = await Should.ThrowAsync<AutotuneException>(() => Runner(image: "autotune/nothing-here:1").RunAsync(Launch(), _ => { }, CancellationToken.None));
        e.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        e.Message.ShouldBe($"image autotune/nothing-here:1 is not on the Docker engine at {docker.Endpoint}: build it with `autotune image build <model-dir>` and pass the tag it prints with --image");
    }

    [Fact]
    public async Task A_gpu_request_on_an_engine_without_the_nvidia_runtime_falls_back_to_the_cpu_with_auto()
    {
        docker.SkipWhenUnavailable();
        var lines = new List<string>();
        var outcome = await Runner(GpuRequest.Parse("auto")).RunAsync(Launch(("TOY_MODE", "inspect")), lines.Add, CancellationToken.None);
        outcome.Succeeded.ShouldBeTrue(string.Join('\n', lines));
        lines.ShouldContain(l => l.Contains("has no NVIDIA runtime (could not select device driver \"nvidia\"") && l.Contains("falls back to the CPU image"));
        lines.ShouldContain($"{TrialEnvironment.Device}=cpu");
        (await ManagedContainersAsync()).ShouldBeEmpty("the container whose start failed is removed too");
    }

    [Fact]
    public async Task A_required_gpu_on_an_engine_without_the_nvidia_runtime_fails_with_exit_5()
    {
        docker.SkipWhenUnavailable();
        var e = await Should.ThrowAsync<AutotuneException>(() => Runner(GpuRequest.Parse("required")).RunAsync(Launch(("TOY_MODE", "inspect")), _ => { }, CancellationToken.None));
        e.ExitCode.ShouldBe(ExitCodes.Infrastructure);
        e.Message.ShouldContain("has no NVIDIA runtime");
        e.Message.ShouldContain("--gpus auto");
        (await ManagedContainersAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_trial_container_is_non_root_without_capabilities_network_or_a_writable_program_folder()
    {
        docker.SkipWhenUnavailable();
        var lines = new List<string>();
        var outcome = await Runner().RunAsync(Launch(("TOY_MODE", "inspect")), lines.Add, CancellationToken.None);
        outcome.Succeeded.ShouldBeTrue(string.Join('\n', lines));
        lines.ShouldContain(l => l.StartsWith("uid=") && l != "uid=0");
        lines.ShouldContain("capeff=0000000000000000");
        lines.ShouldContain("nonewprivs=1");
        lines.ShouldContain("program-writable=false");
        lines.ShouldContain("trial-writable=true");
        lines.ShouldContain("interfaces=lo");
        lines.ShouldContain($"{TrialEnvironment.Folder}={trialFolder}");
    }

    public void Dispose()
    {
        try { Directory.Delete(trialFolder, recursive: true); } catch (IOException) { }
    }

    /// <summary>Adds TOY_EPOCH_DELAY_MS to every start, so a test can kill the container between epochs.</summary>
    private sealed class SlowEpochs(IRunner inner, int milliseconds) : IRunner
    {
        public string Name => inner.Name;
        public Task<RunOutcome> RunAsync(TrialLaunch launch, Action<string> onLine, CancellationToken cancel) =>
            inner.RunAsync(launch with { Environment = new Dictionary<string, string>(launch.Environment) { ["TOY_EPOCH_DELAY_MS"] = milliseconds.ToString() } }, onLine, cancel);
    }
}

/// <summary>Needs no engine: what the user sees when there is none.</summary>
[Trait("Category", "Docker")]
public sealed class DockerEngineDownTests : IDisposable
{
    private readonly string trialFolder = Directory.CreateTempSubdirectory("autotune-docker-down-").FullName;

    [Fact]
    public async Task An_engine_that_is_down_gives_exit_5_naming_the_endpoint_tried()
    {
        var endpoint = "unix:///tmp/autotune-no-engine-here/docker.sock";
        var runner = new DockerRunner(new DockerRunnerOptions(DockerEndpoint.Resolve(endpoint), "any:1", "docker-tests"));
        var program = new BuiltProgram(trialFolder, Path.Combine(trialFolder, "Toy.dll"), TimeSpan.Zero, []);
        var e = await Should.ThrowAsync<AutotuneException>(() => runner.RunAsync(
            new TrialLaunch(program, trialFolder, new Dictionary<string, string>(), TimeSpan.FromSeconds(5)), _ => { }, CancellationToken.None));
        e.ExitCode.ShouldBe(ExitCodes.Infrastructure);
        e.Message.ShouldStartWith($"Docker engine not reachable at {endpoint} (--docker-host): ");
        e.Message.ShouldEndWith("start dockerd or pass --docker-host (or set DOCKER_HOST) to an engine that runs");
    }

    public void Dispose() => Directory.Delete(trialFolder, recursive: true);
}

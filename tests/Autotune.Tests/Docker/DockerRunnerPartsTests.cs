using Autotune.Cli;
using Autotune.Train;
using Autotune.Train.Docker;
using Docker.DotNet.Models;

namespace Autotune.Tests.Docker;

/// <summary>The runner's pure parts: no engine needed.</summary>
public sealed class DockerRunnerPartsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autotune-spec-").FullName;

    private TrialContainer Spec(string user = "1000:1000", string network = "none", GpuRequest? gpus = null, long? memory = null) => new(
        "img:1", folder, Path.Combine(folder, "Toy.dll"), folder, new Dictionary<string, string> { ["A"] = "1" }, user,
        new Dictionary<string, string> { [TrialContainer.Label.Managed] = "true", [TrialContainer.Label.Study] = "s", [TrialContainer.Label.Trial] = "t" },
        gpus ?? GpuRequest.None, memory, 1.5, network);

    [Fact]
    public void The_container_is_unprivileged_without_capabilities_or_network_with_a_read_only_program()
    {
        var p = Spec(memory: 512L << 20).Validate().ToParameters();
        p.User.ShouldBe("1000:1000");
        p.HostConfig.Privileged.ShouldBeFalse();
        p.HostConfig.CapDrop.ShouldBe(["ALL"]);
        p.HostConfig.NetworkMode.ShouldBe("none");
        p.NetworkDisabled.ShouldBeTrue();
        p.HostConfig.ReadonlyRootfs.ShouldBeTrue();
        p.HostConfig.Mounts.Single(m => m.Target == TrialContainer.ProgramMount).ReadOnly.ShouldBeTrue();
        p.HostConfig.Mounts.Single(m => m.Target == folder).ReadOnly.ShouldBeFalse();
        p.HostConfig.Memory.ShouldBe(512L << 20);
        p.HostConfig.MemorySwap.ShouldBe(512L << 20);
        p.HostConfig.NanoCPUs.ShouldBe(1_500_000_000);
        p.Labels[TrialContainer.Label.Managed].ShouldBe("true");
        p.Cmd.ShouldBe(["dotnet", "/autotune/program/Toy.dll"]);
    }

    [Fact]
    public void The_source_is_mounted_read_only_at_its_own_path_and_a_trial_folder_inside_it_read_write_after_it()
    {
        var trial = Directory.CreateDirectory(Path.Combine(folder, ".autotune", "trials", "0001")).FullName;
        var spec = Spec() with { TrialFolder = trial, SourceFolder = folder };
        var mounts = spec.Validate().ToParameters().HostConfig.Mounts;
        mounts.Select(m => (m.Target, m.ReadOnly)).ShouldBe([(TrialContainer.ProgramMount, true), (folder, true), (trial, false)]);
    }

    [Fact]
    public void A_source_inside_the_trial_folder_is_refused()
    {
        var source = Directory.CreateDirectory(Path.Combine(folder, "src")).FullName;
        Should.Throw<AutotuneException>(() => (Spec() with { SourceFolder = source }).Validate()).Message.ShouldContain("lies inside the trial folder");
    }

    [Fact]
    public void As_root_a_source_the_container_user_cannot_pass_to_its_trial_folder_is_named_in_one_line_before_any_container()
    {
        Assert.SkipUnless(Environment.UserName == "root", "only a root caller hands the container to uid 1000");
        var trial = Directory.CreateDirectory(Path.Combine(folder, ".autotune", "trials", "0001")).FullName;
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_000_000); // what Directory.CreateTempSubdirectory makes
        var runner = new DockerRunner(new DockerRunnerOptions(DockerEndpoint.Resolve("unix:///nowhere.sock"), "img:1", "s", SourceFolder: folder));
        var launch = new TrialLaunch(new BuiltProgram(folder, Path.Combine(folder, "Toy.dll"), TimeSpan.Zero, []), trial, new Dictionary<string, string>(), TimeSpan.FromSeconds(5));
        var e = Should.Throw<AutotuneException>(() => runner.Describe(launch));
        e.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        e.Message.ShouldContain($"cannot pass {folder} (mode 700)");
        e.Message.ShouldContain("chmod o+x");

        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        runner.Describe(launch).SourceFolder.ShouldBe(folder);
    }

    [Theory]
    [InlineData("0:0")]
    [InlineData("root")]
    [InlineData("0")]
    public void A_root_user_is_refused(string user) =>
        Should.Throw<AutotuneException>(() => Spec(user: user).Validate()).ExitCode.ShouldBe(ExitCodes.InvalidInput);

    [Fact]
    public void The_host_network_is_refused() =>
        Should.Throw<AutotuneException>(() => Spec(network: "host").Validate()).Message.ShouldContain("--network host");

    [Theory]
    [InlineData("none", GpuPolicy.None, 0, null)]
    [InlineData("auto", GpuPolicy.FallBackToCpu, -1, null)]
    [InlineData("required", GpuPolicy.Required, -1, null)]
    [InlineData("all", GpuPolicy.Required, -1, null)]
    [InlineData("2", GpuPolicy.Required, 2, null)]
    [InlineData("device=0,1", GpuPolicy.Required, 0, "0,1")]
    [InlineData("GPU-3f2a", GpuPolicy.Required, 0, "GPU-3f2a")]
    public void Gpus_parse_to_a_policy_and_a_device_request(string text, GpuPolicy policy, int count, string? ids)
    {
        var g = GpuRequest.Parse(text);
        g.Policy.ShouldBe(policy);
        var requests = g.ToDeviceRequests();
        if (policy == GpuPolicy.None) { requests.ShouldBeEmpty(); return; }
        var r = requests.ShouldHaveSingleItem();
        r.Driver.ShouldBe("nvidia");
        r.Count.ShouldBe(count);
        r.Capabilities.ShouldHaveSingleItem().ShouldBe(["gpu"]);
        (r.DeviceIDs is null ? null : string.Join(',', r.DeviceIDs)).ShouldBe(ids);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("device=")]
    [InlineData("two gpus")]
    public void A_gpu_request_that_means_nothing_is_refused(string text) =>
        Should.Throw<AutotuneException>(() => GpuRequest.Parse(text)).ExitCode.ShouldBe(ExitCodes.InvalidInput);

    [Fact]
    public void The_endpoint_is_the_option_then_DOCKER_HOST_then_the_default_socket()
    {
        DockerEndpoint.Resolve("unix:///a.sock", _ => "unix:///b.sock").ShouldBe(new DockerEndpoint("unix:///a.sock", "--docker-host"));
        DockerEndpoint.Resolve(null, _ => "tcp://h:2375").ShouldBe(new DockerEndpoint("tcp://h:2375", "DOCKER_HOST"));
        DockerEndpoint.Resolve(null, _ => null).Uri.ShouldBe("unix:///var/run/docker.sock");
        Should.Throw<AutotuneException>(() => DockerEndpoint.Resolve("/var/run/docker.sock", _ => null)).Message.ShouldContain("unix:///");
    }

    [Theory]
    [InlineData(false, 0, ContainerEnd.Completed)]
    [InlineData(false, 1, ContainerEnd.Failed)]
    [InlineData(false, 137, ContainerEnd.Killed)]
    [InlineData(true, 137, ContainerEnd.OutOfMemory)]
    public void A_container_end_is_classified_from_its_state(bool oom, long exit, ContainerEnd end) =>
        ContainerOutcome.Classify(new ContainerState { OOMKilled = oom, ExitCode = exit }).ShouldBe(end);

    [Theory]
    [InlineData("512m", 512L << 20)]
    [InlineData("2g", 2L << 30)]
    [InlineData("1.5G", 3L << 29)]
    [InlineData("1000000", 1000000)]
    public void Memory_sizes_read_as_docker_writes_them(string text, long bytes) => MemorySize.Parse(text).ShouldBe(bytes);

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

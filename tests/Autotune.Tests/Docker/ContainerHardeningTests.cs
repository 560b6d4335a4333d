using Autotune.Train;
using Autotune.Train.Docker;
using Docker.DotNet.Models;

namespace Autotune.Tests.Docker;

/// <summary>
/// The trial container as the engine created it (inspected through the Engine API while it runs), and what the
/// program can do from inside it: non-root, unprivileged, no capabilities, no network unless asked, the source
/// read-only, the trial folder writable, the limits that were set, and labels naming its study and trial.
/// </summary>
[Collection("Docker")]
[Trait("Category", "Docker")]
public sealed class ContainerHardeningTests(DockerEngineFixture docker) : IDisposable
{
    private const string Study = "hardening";
    // Laid out as `autotune run` lays it out: the trial folder inside the source's .autotune.
    private readonly string source = WritableByAll(Directory.CreateTempSubdirectory("autotune-hardening-").FullName);
    private string TrialFolder => Directory.CreateDirectory(Path.Combine(source, ".autotune", "trials", "0007")).FullName;

    private DockerRunner Runner(long? memory = null, double? cpus = null, string network = "none") =>
        new(new DockerRunnerOptions(DockerEndpoint.Resolve(docker.Endpoint), BaseImage.Tag, Study, MemoryBytes: memory, Cpus: cpus,
            Network: network, SourceFolder: source));

    private TrialLaunch Launch(params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string> { [TrialEnvironment.Folder] = TrialFolder, [TrialEnvironment.Attempt] = "1", [TrialEnvironment.MaxEpochs] = "2" };
        foreach (var (k, v) in extra) env[k] = v;
        return new TrialLaunch(docker.Toy, TrialFolder, env, TimeSpan.FromSeconds(60));
    }

    /// <summary>Runs the toy slowly and inspects its container while it is there.</summary>
    private async Task<ContainerInspectResponse> InspectWhileRunningAsync(DockerRunner runner)
    {
        var run = runner.RunAsync(Launch(("TOY_EPOCH_DELAY_MS", "1500")), _ => { }, CancellationToken.None);
        ContainerInspectResponse? seen = null;
        using var client = docker.Engine!.Client();
        while (seen is null && !run.IsCompleted)
        {
            if (runner.CurrentContainer is { } id) seen = await client.Containers.InspectContainerAsync(id, CancellationToken.None);
            else await Task.Delay(20);
        }
        (await run).Succeeded.ShouldBeTrue();
        return seen.ShouldNotBeNull("the container was never seen running");
    }

    [Fact]
    public async Task The_created_container_is_non_root_unprivileged_without_capabilities_or_network_with_a_read_only_source_and_labels()
    {
        docker.SkipWhenUnavailable();
        var c = await InspectWhileRunningAsync(Runner());

        var uid = c.Config.User.Split(':')[0];
        uid.ShouldNotBeOneOf("", "0", "root");
        c.HostConfig.Privileged.ShouldBeFalse();
        (c.HostConfig.CapAdd ?? []).ShouldBeEmpty();
        c.HostConfig.CapDrop.ShouldBe(["ALL"]);
        c.HostConfig.SecurityOpt.ShouldContain("no-new-privileges");
        c.HostConfig.ReadonlyRootfs.ShouldBeTrue();
        c.HostConfig.NetworkMode.ShouldBe("none");
        c.Config.NetworkDisabled.ShouldBeTrue();
        c.HostConfig.Memory.ShouldBe(0, "no limit unless one is set");
        c.HostConfig.NanoCPUs.ShouldBe(0);

        var mounts = c.Mounts.ToDictionary(m => m.Destination, m => m.RW);
        mounts[source].ShouldBeFalse("the source is read-only");
        mounts[TrialContainer.ProgramMount].ShouldBeFalse("the built program is read-only");
        mounts[TrialFolder].ShouldBeTrue("the trial folder is the one place the program writes");
        mounts.Count.ShouldBe(3);

        c.Config.Labels[TrialContainer.Label.Managed].ShouldBe("true");
        c.Config.Labels[TrialContainer.Label.Study].ShouldBe(Study);
        c.Config.Labels[TrialContainer.Label.Trial].ShouldBe("0007");
        c.Config.Labels[TrialContainer.Label.Source].ShouldBe(source);
    }

    [Fact]
    public async Task Memory_and_cpu_limits_and_a_named_network_are_set_when_asked()
    {
        docker.SkipWhenUnavailable();
        // "bridge" is the engine's own network (dockerd here runs with --bridge=none, so it has no interface to give).
        var c = await InspectWhileRunningAsync(Runner(memory: 256L << 20, cpus: 1.5, network: "bridge"));
        c.HostConfig.Memory.ShouldBe(256L << 20);
        c.HostConfig.MemorySwap.ShouldBe(256L << 20, "no swap beyond the limit");
        c.HostConfig.NanoCPUs.ShouldBe(1_500_000_000);
        c.HostConfig.NetworkMode.ShouldBe("bridge");
    }

    [Fact]
    public async Task From_inside_the_program_reads_but_cannot_write_its_source_and_writes_its_trial_folder_without_capabilities_or_network()
    {
        docker.SkipWhenUnavailable();
        File.WriteAllText(Path.Combine(source, "Hyper.cs"), "// the model's source");
        var lines = new List<string>();
        var outcome = await Runner().RunAsync(Launch(("TOY_MODE", "inspect"), ("TOY_PROBE_DIR", source)), lines.Add, CancellationToken.None);
        outcome.Succeeded.ShouldBeTrue(string.Join('\n', lines));
        lines.ShouldContain("probe-readable=true");
        lines.ShouldContain("probe-writable=false");
        lines.ShouldContain("trial-writable=true");
        lines.ShouldContain("program-writable=false");
        lines.ShouldContain("capeff=0000000000000000");
        lines.ShouldContain("nonewprivs=1");
        lines.ShouldContain("interfaces=lo");
        lines.ShouldNotContain("uid=0");
        File.Exists(Path.Combine(source, "probe.txt")).ShouldBeFalse();
    }

    /// <summary>So that only the read-only mount, not the folder's owner or mode, can stop the container's user writing there.</summary>
    private static string WritableByAll(string folder)
    {
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        return folder;
    }

    public void Dispose()
    {
        try { Directory.Delete(source, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

using Autotune.Cli;
using Autotune.Train.Docker;

namespace Autotune.Tests.Docker;

/// <summary>`--mount` and `--env`: what a trial container gets besides its program, source and trial folder (no engine needed).</summary>
public sealed class DataMountTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autotune-mount-").FullName;

    [Fact]
    public void A_mount_is_read_only_unless_rw_is_asked_and_appears_at_its_host_path_without_a_container_path()
    {
        var data = Directory.CreateDirectory(Path.Combine(folder, "data")).FullName;
        DataMount.Parse(data, folder).ShouldBe(new DataMount(data, data, ReadOnly: true));
        DataMount.Parse(data + ":/data", folder).ShouldBe(new DataMount(data, "/data", ReadOnly: true));
        DataMount.Parse(data + ":/data:rw", folder).ShouldBe(new DataMount(data, "/data", ReadOnly: false));
        DataMount.Parse("data:/d:ro", folder).ShouldBe(new DataMount(data, "/d", ReadOnly: true));
    }

    [Theory]
    [InlineData("missing:/data", "does not exist")]
    [InlineData("data:relative", "must be absolute")]
    [InlineData("data:/a:/b", "is not HOST[:CONTAINER][:ro|rw]")]
    [InlineData(":/data", "is not HOST[:CONTAINER][:ro|rw]")]
    public void A_mount_that_means_nothing_is_refused_in_one_line(string spec, string message)
    {
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        var e = Should.Throw<AutotuneException>(() => DataMount.Parse(spec, folder));
        e.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        e.Message.ShouldContain(message);
    }

    [Fact]
    public void A_mount_over_the_program_or_trial_folder_is_refused()
    {
        var data = Directory.CreateDirectory(Path.Combine(folder, "data")).FullName;
        var trial = Directory.CreateDirectory(Path.Combine(folder, "trial")).FullName;
        var program = Directory.CreateDirectory(Path.Combine(folder, "program")).FullName;
        TrialContainer Spec(string target) => new("img", program, Path.Combine(program, "p.dll"), trial, new Dictionary<string, string>(), "1000:1000",
            new Dictionary<string, string> { [TrialContainer.Label.Managed] = "true", [TrialContainer.Label.Study] = "s", [TrialContainer.Label.Trial] = "1" },
            GpuRequest.None, DataMounts: [new DataMount(data, target, true)]);

        Should.Throw<AutotuneException>(() => Spec(TrialContainer.ProgramMount).Validate()).Message.ShouldContain("overlaps");
        Should.Throw<AutotuneException>(() => Spec(trial + "/x").Validate()).Message.ShouldContain("overlaps");
        Should.Throw<AutotuneException>(() => Spec("/autotune").Validate()).Message.ShouldContain("overlaps");
        var ok = Spec("/data").Validate().ToParameters().HostConfig.Mounts.Single(m => m.Target == "/data");
        (ok.Source, ok.ReadOnly).ShouldBe((data, true));
    }

    [Fact]
    public void Env_takes_a_value_or_this_process_value_and_leaves_out_what_is_unset()
    {
        var env = ContainerEnvironment.Parse(["A=1", "B", "C", "D=x=y"], name => name == "B" ? "from-host" : null);
        env.ShouldBe(new Dictionary<string, string> { ["A"] = "1", ["B"] = "from-host", ["D"] = "x=y" });
    }

    [Theory]
    [InlineData("AUTOTUNE_SEED=1", "set by the tool")]
    [InlineData("1A=2", "is not NAME=VALUE")]
    [InlineData("A B=2", "is not NAME=VALUE")]
    public void Env_that_would_change_the_trial_environment_or_is_no_name_is_refused(string spec, string message) =>
        Should.Throw<AutotuneException>(() => ContainerEnvironment.Parse([spec])).Message.ShouldContain(message);

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

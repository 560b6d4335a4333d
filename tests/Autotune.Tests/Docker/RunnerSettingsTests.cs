using System.CommandLine;
using Autotune.Cli;
using Autotune.Tune;

namespace Autotune.Tests.Docker;

/// <summary>`--runner docker` and its container options, read the same by train and run; flags win over autotune.json.</summary>
public sealed class RunnerSettingsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autotune-runner-settings-").FullName;

    private static ContainerOptions? Read(SettingsFile? file, params string[] args)
    {
        var flags = new RunnerFlags();
        var command = new RootCommand();
        flags.AddTo(command);
        var parse = command.Parse(args);
        parse.Errors.ShouldBeEmpty();
        return flags.Read(parse, file);
    }

    [Fact]
    public void Without_a_runner_anywhere_trials_run_as_processes() =>
        Read(new SettingsFile(Docker: new SettingsFile.DockerSettings(Image: "x:1"))).ShouldBeNull();

    [Fact]
    public void Flags_win_over_autotune_json_and_what_neither_gives_takes_its_default()
    {
        var file = new SettingsFile(Runner: "docker", Docker: new SettingsFile.DockerSettings(Host: "unix:///f.sock", Image: "file:1", Memory: "1g", Cpus: 2));
        var o = Read(file, "--image", "flag:1", "--cpus", "0.5").ShouldNotBeNull();
        o.ShouldBe(new ContainerOptions("unix:///f.sock", "flag:1", null, "1g", 0.5, "none"));
        Read(file, "--runner", "process").ShouldBeNull();
    }

    [Fact]
    public void A_runner_in_autotune_json_that_is_not_process_or_docker_is_refused_with_exit_2() =>
        Should.Throw<AutotuneException>(() => Read(new SettingsFile(Runner: "kubernetes"))).ExitCode.ShouldBe(ExitCodes.InvalidInput);

    [Fact]
    public void Autotune_json_reads_the_runner_and_its_docker_settings_and_refuses_an_unknown_docker_key()
    {
        File.WriteAllText(Path.Combine(folder, SettingsFile.FileName),
            """{ "target": "loss<0.1", "runner": "docker", "docker": { "image": "autotune/dotnet:1", "gpus": "auto", "memory": "512m", "network": "bridge" } }""");
        var file = SettingsFile.Load(folder);
        file.Runner.ShouldBe("docker");
        file.Docker.ShouldBe(new SettingsFile.DockerSettings(Image: "autotune/dotnet:1", Gpus: "auto", Memory: "512m", Network: "bridge"));

        File.WriteAllText(Path.Combine(folder, SettingsFile.FileName), """{ "docker": { "privileged": true } }""");
        var e = Should.Throw<AutotuneException>(() => SettingsFile.Load(folder));
        e.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        e.Message.ShouldContain("privileged");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

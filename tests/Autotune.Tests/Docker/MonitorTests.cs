using Autotune.Cli;
using Autotune.Detect;
using Autotune.Study;
using Autotune.Train;
using Autotune.Train.Docker;
using Autotune.Tune;
using Docker.DotNet.Models;

namespace Autotune.Tests.Docker;

/// <summary>`autotune monitor` after a controller died: containers it had started are found by label and seen through.</summary>
[Collection("Docker")]
[Trait("Category", "Docker")]
public sealed class MonitorTests(DockerEngineFixture docker) : IDisposable
{
    private const string Study = "monitor-test";
    private readonly string root = Directory.CreateTempSubdirectory("autotune-monitor-").FullName;
    private string StorePath => Path.Combine(root, "study.db");

    /// <summary>The store `autotune run` would have made: the study the orphans belong to, found again through their label.</summary>
    private StudyInfo CreateStudy()
    {
        var space = ModelDetector.Detect(ToyProgram.ProjectFolder).Block.ShouldNotBeNull().SearchSpace;
        using var store = StudyStore.Open(StorePath);
        return store.CreateStudy(Study, ToyProgram.ProjectFolder, space, "loss<0.01", "random", 0, "{}");
    }

    /// <summary>What a controller does before it dies: create and start the trial's container, and not watch it.</summary>
    private async Task<string> StartOrphanAsync(string trialFolder)
    {
        Directory.CreateDirectory(trialFolder);
        var runner = new DockerRunner(new DockerRunnerOptions(DockerEndpoint.Resolve(docker.Endpoint), BaseImage.Tag, Study, StorePath: StorePath));
        var env = new Dictionary<string, string>
        {
            [TrialEnvironment.Folder] = trialFolder, [TrialEnvironment.Seed] = "21", [TrialEnvironment.MaxEpochs] = "5",
            [TrialEnvironment.Attempt] = "1", ["TOY_EPOCH_DELAY_MS"] = "300",
        };
        var spec = runner.Describe(new TrialLaunch(docker.Toy, trialFolder, env, TimeSpan.FromMinutes(1))).Validate();
        using var client = docker.Engine!.Client();
        var id = (await client.Containers.CreateContainerAsync(spec.ToParameters(), CancellationToken.None)).ID;
        await client.Containers.StartContainerAsync(id, new ContainerStartParameters(), CancellationToken.None);
        return id;
    }

    [Fact]
    public async Task Monitor_restarts_a_dead_trial_container_from_its_checkpoint_and_follows_a_live_one_to_its_end()
    {
        docker.SkipWhenUnavailable();
        var study = CreateStudy();
        var dead = Path.Combine(root, "dead");
        var live = Path.Combine(root, "live");
        var deadId = await StartOrphanAsync(dead);
        await StartOrphanAsync(live);
        while (MetricsFile.Read(Path.Combine(dead, TrialEnvironment.MetricsFile)).Count < 2) await Task.Delay(50);
        using (var client = docker.Engine!.Client())
            await client.Containers.KillContainerAsync(deadId, new ContainerKillParameters { Signal = "KILL" }, CancellationToken.None);

        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLine.RunAsync(["monitor", "--study", Study, "--docker-host", docker.Endpoint], output, error);

        code.ShouldBe(0, error.ToString() + output);
        output.ToString().ShouldContain("is running; re-attached");
        output.ToString().ShouldContain("(exit 137); restarting from the last checkpoint");
        File.ReadAllText(Path.Combine(dead, TrialSupervisor.LogFile)).ShouldContain("resumes from the checkpoint of epoch");
        var deadEpochs = MetricsFile.Read(Path.Combine(dead, TrialEnvironment.MetricsFile));
        var liveEpochs = MetricsFile.Read(Path.Combine(live, TrialEnvironment.MetricsFile));
        deadEpochs.Select(e => e.Epoch).ShouldBe([1, 2, 3, 4, 5]);
        liveEpochs.Select(e => e.Epoch).ShouldBe([1, 2, 3, 4, 5]);
        deadEpochs[^1].Metrics["loss"].ShouldBe(liveEpochs[^1].Metrics["loss"], "same seed and settings: the restart changed nothing that was learnt");

        using (var store = StudyStore.Open(StorePath))
        {
            var restart = store.Events(study).Where(e => e.Kind == RestartsRecorded.EventKind).ShouldHaveSingleItem("only the dead one was restarted");
            restart.Message.ShouldContain("monitor restarts the trial (docker runner)");
            restart.Message.ShouldContain("ended with exit 137");
        }

        using var after = docker.Engine!.Client();
        (await ManagedContainer.FindAsync(after, DockerEndpoint.Resolve(docker.Endpoint), Study, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Monitor_leaves_the_containers_of_a_study_a_live_run_holds_alone_and_exits_5_naming_it()
    {
        docker.SkipWhenUnavailable();
        var study = CreateStudy();
        var trial = Path.Combine(root, "owned");
        var id = await StartOrphanAsync(trial);
        try
        {
            using (StudyLock.Acquire(StorePath, "run", TimeSpan.Zero)) // the controller that started it is alive
            {
                var output = new StringWriter();
                var error = new StringWriter();
                var code = await CommandLine.RunAsync(["monitor", "--study", Study, "--docker-host", docker.Endpoint], output, error);

                code.ShouldBe(ExitCodes.Infrastructure, error.ToString() + output);
                error.ToString().Trim().ShouldStartWith("autotune: 1 of 1 trial(s) left alone; the first: ");
                error.ToString().ShouldContain("is in use by `autotune run`");
                output.ToString().ShouldNotContain("re-attached");
            }
            // Left to the run: not removed (monitor removes a dead container it takes over), nothing recorded, nothing logged.
            using var client = docker.Engine!.Client();
            (await client.Containers.InspectContainerAsync(id, CancellationToken.None)).ID.ShouldBe(id);
            using (var store = StudyStore.Open(StorePath)) store.Events(study).ShouldNotContain(e => e.Kind == RestartsRecorded.EventKind);
            File.Exists(Path.Combine(trial, TrialSupervisor.LogFile)).ShouldBeFalse(); // monitor logs there whatever it does with a container
        }
        finally
        {
            using var client = docker.Engine!.Client();
            await client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}

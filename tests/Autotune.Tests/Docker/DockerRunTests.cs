using Autotune.Cli;
using Autotune.Study;
using Autotune.Train;
using Autotune.Train.Docker;
using Autotune.Tune;
using Docker.DotNet.Models;

namespace Autotune.Tests.Docker;

/// <summary>`autotune run` with the Docker runner, set in autotune.json, on a copy of the toy trainer against the real engine, in the image its profile picks.</summary>
[Collection("Docker")]
[Trait("Category", "Docker")]
public sealed class DockerRunTests(DockerEngineFixture docker) : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("autotune-docker-run-").FullName;

    [Fact]
    public async Task A_short_study_runs_its_trials_in_containers_records_them_and_records_the_restart_of_a_killed_one()
    {
        docker.SkipWhenUnavailable();
        var model = SlowToyCopy.Make(root);
        var study = "docker-run-" + Guid.NewGuid().ToString("N")[..6];
        File.WriteAllText(Path.Combine(model, "autotune.json"), $$"""
            { "runner": "docker", "docker": { "host": "{{docker.Endpoint}}", "base": "{{BaseImage.Tag}}", "memory": "512m" } }
            """);
        var (output, error) = (new StringWriter(), new StringWriter());
        // Out of reach (the data's noise floor is near 8e-4): the whole budget of two trials is spent.
        var run = CommandLine.RunAsync(["run", model, "--target", "loss<0.00001", "--max-trials", "2", "--max-epochs", "3", "--seed", "4",
            "--study", study, "--no-apply", "--no-asha"], output, error);

        // SIGKILL trial 1's first container once it has saved its first checkpoint (mid-trial: the next epoch takes 0.7 s).
        var killed = false;
        using (var client = docker.Engine!.Client())
            while (!run.IsCompleted && !killed)
            {
                foreach (var c in await client.Containers.ListContainersAsync(new ContainersListParameters
                {
                    Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [TrialContainer.Label.Study + "=" + study] = true } },
                }, CancellationToken.None))
                {
                    if (c.Labels[TrialContainer.Label.Trial] != "0001" || c.Labels[TrialContainer.Label.Attempt] != "1") continue;
                    if (new CheckpointStore(Path.Combine(c.Labels[TrialContainer.Label.TrialFolder], TrialEnvironment.CheckpointFolder)).Latest() is null) continue;
                    await client.Containers.KillContainerAsync(c.ID, new ContainerKillParameters { Signal = "KILL" }, CancellationToken.None);
                    killed = true;
                }
                await Task.Delay(50);
            }
        var code = await run;

        killed.ShouldBeTrue($"trial 1's container was never seen after its first checkpoint (exit {code}):\n{output}{error}");
        code.ShouldBe(ExitCodes.TargetMissed, error.ToString() + output);
        // No image named: detect's profile (no ML framework) picks the dotnet template, built on the local base.
        output.ToString().ShouldContain("image template dotnet: dotnet for none on cpu");
        output.ToString().ShouldContain("docker runner: image autotune/dotnet:");
        using var store = StudyStore.Open(Path.Combine(model, ".autotune", "study.db"));
        var info = store.FindStudy(study).ShouldNotBeNull();
        var trials = store.Trials(info);
        trials.Select(t => t.Number).ShouldBe([1, 2]);
        trials.ShouldAllBe(t => t.State == TrialState.Completed && t.Epochs == 3 && t.Value != null);
        trials[0].Restarts.ShouldBe(1);
        trials[1].Restarts.ShouldBe(0);
        var restart = store.Events(info).Where(e => e.Kind == RestartsRecorded.EventKind).ShouldHaveSingleItem();
        restart.Trial.ShouldBe(1);
        restart.Message.ShouldContain("start 2 (docker runner) after it exited with 137: resumes from the checkpoint of epoch");
        var trialLog = File.ReadAllText(Path.Combine(StudyRunner.TrialFolder(ModelProject.Open(model), info, 1), TrialSupervisor.LogFile));
        trialLog.ShouldContain("resumes from the checkpoint of epoch");

        using var after = docker.Engine!.Client();
        (await ManagedContainer.FindAsync(after, DockerEndpoint.Resolve(docker.Endpoint), study, CancellationToken.None)).ShouldBeEmpty();
    }

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

using System.Text.Json;
using Autotune.Study;
using Autotune.Tests.Support;
using Autotune.Train;
using Autotune.Train.Docker;
using Autotune.Tune;
using Docker.DotNet.Models;

namespace Autotune.Tests.Docker;

/// <summary>
/// The monitor job's three tool calls (autotuneMonitorPipeline: trials --json, monitor, run), end to end with the real
/// tool as separate processes and a real engine, after the controller and its training container were both killed.
/// </summary>
[Collection("Docker")]
[Trait("Category", "Docker")]
public sealed class MonitorResumeTests(DockerEngineFixture docker) : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("autotune-monitor-resume-").FullName;

    [Fact]
    public async Task A_study_whose_controller_and_training_container_were_killed_mid_epoch_finishes_with_no_trial_lost_and_at_most_one_epoch_repeated()
    {
        docker.SkipWhenUnavailable();
        var model = SlowToyCopy.Make(root);
        var study = "monitor-resume-" + Guid.NewGuid().ToString("N")[..6];
        File.WriteAllText(Path.Combine(model, "autotune.json"), $$"""
            { "runner": "docker", "docker": { "host": "{{docker.Endpoint}}", "base": "{{BaseImage.Tag}}", "memory": "512m" } }
            """);
        // Out of reach (the data's noise floor is near 8e-4): the whole budget of two trials is spent.
        string[] run = ["run", model, "--target", "loss<0.00001", "--max-trials", "2", "--max-epochs", "3", "--seed", "4", "--study", study, "--no-apply", "--no-asha"];
        var controller = Tool.Start(run);
        try
        {
            // Once trial 1's first container has saved a checkpoint (mid-trial: each epoch takes 0.7 s), SIGKILL the
            // controller alone, as a dead agent process would, then the container it left, as an engine restart would.
            string? container = null;
            string? trialFolder = null;
            using (var client = docker.Engine!.Client())
                while (container is null && !controller.HasExited)
                {
                    foreach (var c in await client.Containers.ListContainersAsync(new ContainersListParameters
                    {
                        Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [TrialContainer.Label.Study + "=" + study] = true } },
                    }, CancellationToken.None))
                    {
                        if (c.Labels[TrialContainer.Label.Trial] != "0001") continue;
                        if (new CheckpointStore(Path.Combine(c.Labels[TrialContainer.Label.TrialFolder], TrialEnvironment.CheckpointFolder)).Latest() is null) continue;
                        controller.Kill();
                        await controller.WaitForExitAsync();
                        await client.Containers.KillContainerAsync(c.ID, new ContainerKillParameters { Signal = "KILL" }, CancellationToken.None);
                        (container, trialFolder) = (c.ID, c.Labels[TrialContainer.Label.TrialFolder]);
                        break;
                    }
                    await Task.Delay(50);
                }
            container.ShouldNotBeNull($"trial 1's container was never seen with a checkpoint before the controller exited ({(controller.HasExited ? controller.ExitCode : -1)})");

            // 1. The look: no live controller, and the run that was killed holding the study.
            var look = await Tool.RunAsync(["trials", model, "--study", study, "--json"]);
            look.ExitCode.ShouldBe(0, look.All);
            using (var json = JsonDocument.Parse(look.Output))
            {
                json.RootElement.GetProperty("controller").ValueKind.ShouldBe(JsonValueKind.Null);
                json.RootElement.GetProperty("leftBy").GetProperty("command").GetString().ShouldBe("run");
                json.RootElement.GetProperty("leftBy").GetProperty("pid").GetInt32().ShouldBe(controller.Id);
            }

            // 2. The dead container restarts from its checkpoint and is followed to its end.
            var monitor = await Tool.RunAsync(["monitor", "--study", study, "--docker-host", docker.Endpoint]);
            monitor.ExitCode.ShouldBe(0, monitor.All);
            monitor.Output.ShouldContain("(exit 137); restarting from the last checkpoint");

            // 3. The study resumes where the killed controller left it, and ends as its budget says.
            var resumed = await Tool.RunAsync(run);
            resumed.ExitCode.ShouldBe(Autotune.Cli.ExitCodes.TargetMissed, resumed.All);
            // The monitor took the killed run's lock over (and released it), so this run finds the study simply left.
            resumed.Output.ShouldContain($"resuming study '{study}'", Case.Sensitive, resumed.All);

            using var store = StudyStore.Open(Path.Combine(model, ".autotune", "study.db"));
            var info = store.FindStudy(study).ShouldNotBeNull();
            var trials = store.Trials(info);
            trials.Select(t => t.Number).ShouldBe([1, 2], "no trial lost, none added");
            trials.ShouldAllBe(t => t.State == TrialState.Completed && t.Epochs == 3 && t.Value != null);
            store.Events(info).ShouldContain(e => e.Kind == RestartsRecorded.EventKind && e.Trial == 1 && e.Message.Contains("monitor restarts the trial (docker runner)"));
            // Every epoch trial 1's program finished is a line of its metrics file: one more than its 3 epochs at most.
            var lines = File.ReadAllLines(Path.Combine(trialFolder!, TrialEnvironment.MetricsFile)).Count(l => MetricsFile.Parse(l) is not null);
            lines.ShouldBeInRange(3, 4, "at most one epoch trained twice");

            using var after = docker.Engine!.Client();
            (await ManagedContainer.FindAsync(after, DockerEndpoint.Resolve(docker.Endpoint), study, CancellationToken.None)).ShouldBeEmpty();
        }
        finally
        {
            if (!controller.HasExited) controller.Kill(entireProcessTree: true);
            controller.Dispose();
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

using System.CommandLine;
using Autotune.Study;
using Autotune.Train;
using Autotune.Train.Docker;
using Autotune.Tune;

namespace Autotune.Cli;

/// <summary>
/// `autotune monitor [--study S]`: after the controller itself restarted, find the trial containers it
/// had started (by label), follow the live ones to their end, and restart the dead ones from their last
/// checkpoint through the same supervisor a trial runs under. A trial of `autotune run` is followed holding its
/// study's lock, as run holds it: monitor writes the study's restart events and runs its trials, so it never does
/// so beside a live controller (which would restart the same trial), and a run started meanwhile waits for it.
/// </summary>
public static class MonitorCommand
{
    public sealed record Options(string? Study, string? DockerHost, int Retries, int SilenceSeconds);

    public static Command Create()
    {
        var study = new Option<string?>("--study") { Description = "Only the containers of this study (default: every container autotune made on the engine)" };
        var dockerHost = new Option<string?>("--docker-host") { Description = "Docker engine endpoint (default: DOCKER_HOST, else unix:///var/run/docker.sock)" };
        var retries = new Option<int>("--retries") { Description = "Restarts from the last checkpoint per trial", DefaultValueFactory = _ => 3 };
        var silence = new Option<int>("--silence-timeout") { Description = "Seconds without any output after which a program is stopped as hung", DefaultValueFactory = _ => 300 };
        retries.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--retries must be 0 or more"); });
        silence.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--silence-timeout must be at least 1 second"); });
        var command = new Command("monitor", "Re-attach to trial containers left by an earlier run: follow live ones, restart dead ones from their checkpoints")
        {
            study, dockerHost, retries, silence,
        };
        command.SetAction((parse, cancel) => RunAsync(new Options(parse.GetValue(study), parse.GetValue(dockerHost), parse.GetValue(retries), parse.GetValue(silence)),
            parse.InvocationConfiguration.Output, cancel));
        return command;
    }

    public static async Task<int> RunAsync(Options o, TextWriter output, CancellationToken cancel)
    {
        var endpoint = DockerEndpoint.Resolve(o.DockerHost);
        IReadOnlyList<ManagedContainer> containers;
        using (var client = endpoint.Connect())
        {
            await endpoint.EnsureReachableAsync(client, cancel);
            containers = await ManagedContainer.FindAsync(client, endpoint, o.Study, cancel);
        }
        var display = new ProgressDisplay(output, ProgressDisplay.IsInteractive, "monitor");
        if (containers.Count == 0)
        {
            display.Note($"no trial containers{(o.Study is null ? "" : $" of study {o.Study}")} on {endpoint.Uri}");
            return ExitCodes.Success;
        }
        var silence = TimeSpan.FromSeconds(o.SilenceSeconds);
        var failures = new List<AutotuneException>();
        var leftAlone = new List<AutotuneException>();
        var locks = new StudyLocks("monitor", display.Note);
        foreach (var c in containers)
        {
            StudyLock? held = null;
            try
            {
                // A store that is gone holds no study to protect (and nothing is recorded in it).
                if (c.Runner.StorePath is { } store && File.Exists(store)) held = locks.Take(store);
            }
            catch (AutotuneException e) when (e.ExitCode == ExitCodes.Infrastructure)
            {
                display.Note($"{c.TrialFolder}: left alone: {e.Message}");
                leftAlone.Add(e);
                continue;
            }
            try
            {
                await FollowAsync(c, display, o.Retries, silence, cancel);
            }
            catch (AutotuneException e) when (e.ExitCode == ExitCodes.ModelFailed)
            {
                display.Note($"{c.TrialFolder}: {e.Message}");
                failures.Add(e);
            }
            finally
            {
                held?.Dispose();
            }
        }
        if (failures.Count > 0)
            throw new AutotuneException(ExitCodes.ModelFailed, $"{failures.Count} of {containers.Count} trial(s) failed; the first: {failures[0].Message}", failures[0].Detail);
        if (leftAlone.Count > 0)
            throw new AutotuneException(ExitCodes.Infrastructure, $"{leftAlone.Count} of {containers.Count} trial(s) left alone; the first: {leftAlone[0].Message}");
        display.Note($"{containers.Count} trial(s) followed to completion");
        return ExitCodes.Success;
    }

    private static async Task FollowAsync(ManagedContainer c, ProgressDisplay display, int retries, TimeSpan silence, CancellationToken cancel)
    {
        var runner = new DockerRunner(c.Runner);
        var settings = c.Settings with { Retries = retries, SilenceLimit = silence };
        var log = Path.Combine(c.TrialFolder, TrialSupervisor.LogFile);
        void Log(string line) { try { File.AppendAllLines(log, [line]); } catch (IOException) { } }
        var exitCode = c.ExitCode;
        if (c.Running)
        {
            display.Note($"{c.TrialFolder}: container {c.Id[..12]} is running; re-attached");
            Log($"autotune: {DateTime.UtcNow:O} monitor re-attached to container {c.Id[..12]}");
            var outcome = await runner.AttachAsync(c.Id, c.Program, c.TrialFolder, line => { Log(line); display.Line(line); }, silence, cancel);
            if (outcome.Succeeded) { Finished(c, display, "completed"); return; }
            exitCode = outcome.ExitCode;
            display.Note($"{c.TrialFolder}: the program exited with {outcome.ExitCode}{(outcome.Silent ? " (silent)" : "")}; restarting from the last checkpoint");
        }
        else
        {
            using (var client = c.Runner.Endpoint.Connect()) await DockerRunner.RemoveAsync(client, c.Id);
            if (c.State == "exited" && c.ExitCode == 0 && !c.OutOfMemory) { Finished(c, display, "had completed while nobody watched"); return; }
            if (c.OutOfMemory)
                throw new AutotuneException(ExitCodes.ModelFailed, ContainerOutcome.OutOfMemoryMessage(c.Program.Assembly, c.Runner.MemoryBytes));
            display.Note($"{c.TrialFolder}: container {c.Id[..12]} is {c.State} (exit {c.ExitCode}); restarting from the last checkpoint");
            Log($"autotune: {DateTime.UtcNow:O} monitor found container {c.Id[..12]} {c.State} with exit {c.ExitCode}");
        }
        // A trial of `autotune run` carries its study store: its restarts are recorded there as the run records its own.
        IRunner restarted = new WithEnvironment(runner, c.ExtraEnvironment);
        if (c.Runner.StorePath is { } store)
        {
            RestartsRecorded.Record(store, c.Study, c.Settings.Number,
                $"monitor restarts the trial ({runner.Name} runner): its container {c.Id[..12]} ended with exit {exitCode}; resumes from its last checkpoint");
            restarted = new RestartsRecorded(restarted, store, c.Study);
        }
        var result = await new TrialSupervisor(restarted, display).RunAsync(c.Program, c.TrialFolder, settings, cancel);
        display.Note($"{c.TrialFolder}: completed after {result.Epochs.Count} epoch(s), {result.Restarts} further restart(s)");
    }

    private static void Finished(ManagedContainer c, ProgressDisplay display, string how) =>
        display.Note($"{c.TrialFolder}: {how}; {MetricsFile.Read(Path.Combine(c.TrialFolder, TrialEnvironment.MetricsFile)).Count} epoch(s) reported");
}

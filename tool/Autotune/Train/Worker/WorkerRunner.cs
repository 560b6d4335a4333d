namespace Autotune.Train.Worker;

/// <summary>
/// The runner of `autotune run` on this machine: each trial's program runs in a trial worker that
/// stays alive across trials, so the runtime, libtorch and the JIT-compiled framework start once
/// per study, not once per trial (bench/fixed-cost). A program the worker cannot run (no SDK, an
/// older target framework) runs as a process, with the reason in the trial log's first start line.
/// Workers are pooled: trials running at once each get their own.
/// </summary>
public sealed class WorkerRunner : IRunner, IDisposable
{
    private readonly ProcessRunner process = new();
    private readonly object gate = new();
    private readonly List<WorkerProcess> idle = [];
    private readonly HashSet<string> refused = new(StringComparer.Ordinal); // fingerprints whose worker said unsupported

    public string Name => "worker";

    public async Task<RunOutcome> RunAsync(TrialLaunch launch, Action<string> onLine, CancellationToken cancel)
    {
        var why = WorkerProgram.WhyNot(launch.Program);
        var fingerprint = why is null ? WorkerProgram.Fingerprint(launch.Program) : "";
        lock (gate) if (why is null && refused.Contains(fingerprint)) why = "the worker cannot run this program (see the first trial's log)";
        if (why is not null) return await AsProcessAsync(launch, onLine, why, cancel);

        WorkerProcess worker;
        try { worker = Take(launch.Program, fingerprint); }
        catch (IOException e) { return await AsProcessAsync(launch, onLine, $"cannot place the worker in {launch.Program.Folder}: {e.Message}", cancel); }
        var pidFile = Path.Combine(launch.TrialFolder, ProcessRunner.PidFile);
        File.WriteAllText(pidFile, worker.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        RunOutcome? outcome;
        try
        {
            outcome = await worker.RunAsync(launch, onLine, cancel);
        }
        catch
        {
            worker.Kill();
            worker.Dispose();
            throw;
        }
        finally
        {
            File.Delete(pidFile);
        }
        if (outcome is null)
        {
            lock (gate) refused.Add(fingerprint);
            worker.Dispose();
            return await AsProcessAsync(launch, onLine, worker.Unsupported!, cancel);
        }
        if (outcome.ExitCode == 0 && !outcome.Silent && !worker.HasExited) Return(worker);
        else worker.Dispose();
        return outcome;
    }

    private async Task<RunOutcome> AsProcessAsync(TrialLaunch launch, Action<string> onLine, string why, CancellationToken cancel)
    {
        onLine($"{TrialEnvironment.LinePrefix}worker {System.Text.Json.JsonSerializer.Serialize(new { process = why })}");
        return await process.RunAsync(launch, onLine, cancel);
    }

    /// <summary>An idle worker started for the same files (a parallel slot's build folder has its own), or a new one.</summary>
    private WorkerProcess Take(BuiltProgram program, string fingerprint)
    {
        lock (gate)
        {
            foreach (var gone in idle.Where(w => w.HasExited).ToList())
            {
                idle.Remove(gone);
                gone.Dispose();
            }
            if (idle.FindLastIndex(w => w.Fingerprint == fingerprint) is var i and >= 0)
            {
                var warm = idle[i];
                idle.RemoveAt(i);
                return warm;
            }
        }
        return WorkerProcess.Start(program, fingerprint);
    }

    private void Return(WorkerProcess worker)
    {
        WorkerProcess? oldest = null;
        lock (gate)
        {
            idle.Add(worker);
            // Workers for files no trial uses any more (a rebuilt dependency) would idle until the study ends.
            if (idle.Count > MaxIdle) { oldest = idle[0]; idle.RemoveAt(0); }
        }
        oldest?.Dispose();
    }

    private const int MaxIdle = 8;

    /// <summary>Ends every idle worker (at the end of a study).</summary>
    public void Dispose()
    {
        List<WorkerProcess> all;
        lock (gate)
        {
            all = [.. idle];
            idle.Clear();
        }
        foreach (var w in all) w.Dispose();
    }
}

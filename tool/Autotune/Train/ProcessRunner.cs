using System.Diagnostics;

namespace Autotune.Train;

/// <summary>The default runner: the program as a local child process (`dotnet program.dll`).</summary>
public sealed class ProcessRunner : IRunner
{
    /// <summary>Written into the trial folder while the program runs, so supervisors and tests can find it.</summary>
    public const string PidFile = "program.pid";

    public string Name => "process";

    /// <summary>
    /// Stops a program left running by a controller that was killed (its pid file survived it), so a
    /// resumed trial never has two programs writing one trial folder.
    /// </summary>
    public static bool StopLeftover(string trialFolder)
    {
        var pidFile = Path.Combine(trialFolder, PidFile);
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile), out var pid)) return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.ProcessName != "dotnet") return false; // the pid was reused by something else
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
            return true;
        }
        catch (ArgumentException) { return false; } // no such process any more
        catch (InvalidOperationException) { return false; }
        finally { File.Delete(pidFile); }
    }

    /// <summary>
    /// Takes the tool's own secrets (the SMTP settings of `run --notify`) out of a model program's
    /// environment: the program is not trusted with them, whether it runs as a process or in a worker.
    /// </summary>
    internal static void RemoveSecrets(ProcessStartInfo start)
    {
        foreach (var secret in start.Environment.Keys.Where(k => k.StartsWith("AUTOTUNE_SMTP_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(secret);
    }

    public async Task<RunOutcome> RunAsync(TrialLaunch launch, Action<string> onLine, CancellationToken cancel)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { launch.Program.Assembly },
            WorkingDirectory = launch.Program.Folder,
        };
        RemoveSecrets(start);
        foreach (var (key, value) in launch.Environment) start.Environment[key] = value;
        var pidFile = Path.Combine(launch.TrialFolder, PidFile);
        try
        {
            var outcome = await ChildProcess.RunAsync(start, onLine, launch.SilenceLimit,
                pid => File.WriteAllText(pidFile, pid.ToString()), cancel);
            return new RunOutcome(outcome.ExitCode, outcome.Silent, outcome.Elapsed);
        }
        finally
        {
            File.Delete(pidFile);
        }
    }
}

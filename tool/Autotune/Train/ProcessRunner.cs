using System.Diagnostics;

namespace Autotune.Train;

/// <summary>The default runner: the program as a local child process (`dotnet program.dll`).</summary>
public sealed class ProcessRunner : IRunner
{
    /// <summary>Written into the trial folder while the program runs, so supervisors and tests can find it.</summary>
    public const string PidFile = "program.pid";

    public string Name => "process";

    public async Task<RunOutcome> RunAsync(TrialLaunch launch, Action<string> onLine, CancellationToken cancel)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { launch.Program.Assembly },
            WorkingDirectory = launch.Program.Folder,
        };
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

namespace Autotune.Train;

/// <summary>One start of a trial's program: what to run, where, and with which trial environment.</summary>
public sealed record TrialLaunch(
    BuiltProgram Program,
    string TrialFolder,
    IReadOnlyDictionary<string, string> Environment,
    TimeSpan SilenceLimit);

/// <summary>How one start of the program ended.</summary>
public sealed record RunOutcome(int ExitCode, bool Silent, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0 && !Silent;
    /// <summary>128 + signal, as shells and container engines report it (137 is SIGKILL).</summary>
    public bool KilledBySignal => ExitCode > 128 && ExitCode < 160;
}

/// <summary>Runs a trial's program somewhere (a local process, a container) and streams its output.</summary>
public interface IRunner
{
    string Name { get; }
    Task<RunOutcome> RunAsync(TrialLaunch launch, Action<string> onLine, CancellationToken cancel);
}

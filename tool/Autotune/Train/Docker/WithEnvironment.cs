namespace Autotune.Train.Docker;

/// <summary>A runner that adds fixed variables to every start: what a restarted container carried besides the trial's own.</summary>
public sealed class WithEnvironment(IRunner inner, IReadOnlyDictionary<string, string> extra) : IRunner
{
    public string Name => inner.Name;

    public Task<RunOutcome> RunAsync(TrialLaunch launch, Action<string> onLine, CancellationToken cancel)
    {
        if (extra.Count == 0) return inner.RunAsync(launch, onLine, cancel);
        var env = new Dictionary<string, string>(extra);
        foreach (var (k, v) in launch.Environment) env[k] = v; // the supervisor's own values win
        return inner.RunAsync(launch with { Environment = env }, onLine, cancel);
    }
}

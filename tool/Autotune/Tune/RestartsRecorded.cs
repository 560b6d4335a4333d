using System.Globalization;
using Autotune.Study;
using Autotune.Train;

namespace Autotune.Tune;

/// <summary>
/// A runner that records every restart of a trial's program (start 2 and later, from the last checkpoint)
/// as a "restart" event of its study in the store, next to the line the supervisor writes in trial.log.
/// It opens the store for each restart only: restarts are rare, and the tune loop keeps its own connection.
/// </summary>
public sealed class RestartsRecorded(IRunner inner, string storePath, string studyName) : IRunner
{
    public const string EventKind = "restart";

    private readonly Dictionary<string, RunOutcome> previous = new(StringComparer.Ordinal);

    public string Name => inner.Name;

    public async Task<RunOutcome> RunAsync(TrialLaunch launch, Action<string> onLine, CancellationToken cancel)
    {
        var attempt = Int(launch, TrialEnvironment.Attempt) ?? 1;
        if (attempt > 1)
        {
            var why = previous.TryGetValue(launch.TrialFolder, out var last)
                ? last.Silent ? "it printed nothing for too long" : $"it exited with {last.ExitCode}"
                : "it died";
            var epoch = new CheckpointStore(Path.Combine(launch.TrialFolder, TrialEnvironment.CheckpointFolder)).Latest()?.Epoch ?? 0;
            Record(storePath, studyName, Int(launch, TrialEnvironment.Number),
                $"start {attempt} ({inner.Name} runner) after {why}: {(epoch > 0 ? $"resumes from the checkpoint of epoch {epoch}" : "no checkpoint yet, starts over")}");
        }
        var outcome = await inner.RunAsync(launch, onLine, cancel);
        previous[launch.TrialFolder] = outcome;
        return outcome;
    }

    /// <summary>Adds one restart event to the study's store; a store or study that is gone records nothing.</summary>
    public static void Record(string storePath, string studyName, int? trial, string message)
    {
        if (!File.Exists(storePath)) return;
        using var store = StudyStore.Open(storePath);
        if (store.FindStudy(studyName) is { } study) store.AddEvent(study, trial, EventKind, message);
    }

    private static int? Int(TrialLaunch launch, string key) =>
        launch.Environment.TryGetValue(key, out var v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}

using Autotune.Search;
using Autotune.Study;
using Autotune.Tests.Report;
using Autotune.Tune;

namespace Autotune.Tests.Support;

/// <summary>Trials of the synthetic study's space recorded through an engine as if they had trained: two epochs of one accuracy.</summary>
public static class TrainedTrials
{
    /// <summary>Queues the synthetic space's current values with <paramref name="name"/> set to <paramref name="value"/>.</summary>
    public static StoredTrial With(StudyEngine engine, string name, long value) =>
        engine.Enqueue(new Assignment(SyntheticStudy.Space.Current().Values.Select(kv => kv.Key == name ? KeyValuePair.Create(kv.Key, (object)value) : kv).ToDictionary())).Trial;

    /// <summary>Runs <paramref name="trial"/> to completion with <paramref name="accuracy"/> at both of its epochs.</summary>
    public static StoredTrial Trained(StudyEngine engine, StoredTrial trial, double accuracy)
    {
        engine.MarkRunning(trial.Number, "test");
        for (var e = 1; e <= 2; e++) engine.RecordEpoch(trial.Number, new MetricLine(e, new Dictionary<string, double> { ["accuracy"] = accuracy }, 1.0));
        engine.Finish(trial.Number, TrialState.Completed, accuracy, 0, null);
        return trial;
    }
}

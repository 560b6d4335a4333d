using Autotune.Search;
using Autotune.Study;

namespace Autotune.Tests.Report;

/// <summary>
/// A model folder with a study made directly through StudyStore, tuned for accuracy>=0.99 with `--minimize params`:
/// seven trials whose accuracy and parameter count trade off, one that never reported params, one pruned and one
/// failed. Nothing is trained. Trial 3 is the best (the smallest on target); the front is 6, 2, 3, 1.
/// </summary>
public sealed class ParetoStudy : IDisposable
{
    public const string Name = "mnist-cnn";

    public string ModelDir { get; } = Directory.CreateTempSubdirectory("autotune-pareto-report-").FullName;

    /// <summary>(state, final accuracy, params or null when not reported).</summary>
    private static readonly (TrialState State, double? Accuracy, double? Params)[] Plan =
    [
        (TrialState.Completed, 0.97, 10_000),   // small, off target: on the front
        (TrialState.Completed, 0.995, 400_000), // accurate and large: on the front
        (TrialState.Completed, 0.991, 60_000),  // on target and the smallest there: the best
        (TrialState.Completed, 0.99, 90_000),   // beaten by 3 on both
        (TrialState.Pruned, 0.9, 5_000),        // partial: never on the front
        (TrialState.Completed, 0.999, null),    // most accurate, size unknown: on the front, the worst for size
        (TrialState.Failed, null, null),
    ];

    public ParetoStudy(string settings = """{"minimize":["params"]}""")
    {
        File.WriteAllText(Path.Combine(ModelDir, Name + ".csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />\n");
        using var store = StudyStore.Open(Path.Combine(ModelDir, ".autotune", "study.db"));
        var study = store.CreateStudy(Name, "samples/mnist-cnn", SyntheticStudy.Space, "accuracy>=0.99", "tpe", 7, settings);
        foreach (var (state, accuracy, parameters) in Plan)
        {
            var n = store.Trials(study).Count + 1;
            var number = store.AddTrial(study, new Assignment(new Dictionary<string, object>
            {
                ["ConvLayers"] = (long)(n % 4 + 1), ["LearningRate"] = 0.001 * n, ["Pooling"] = "max",
            })).Number;
            store.MarkRunning(study, number);
            if (accuracy is { } a)
            {
                var metrics = new Dictionary<string, double> { ["accuracy"] = a };
                if (parameters is { } p) metrics["params"] = p;
                store.RecordEpoch(study, number, new MetricLine(1, metrics, 0.5));
            }
            store.Finish(study, number, state, accuracy, restarts: 0, state == TrialState.Failed ? "crashed" : null);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(ModelDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

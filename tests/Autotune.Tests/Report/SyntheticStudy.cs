using Autotune.Report;
using Autotune.Search;
using Autotune.Study;

namespace Autotune.Tests.Report;

/// <summary>
/// A model folder with a study store made directly through StudyStore: five trials with known
/// values, per-epoch metrics and every finished state, and markup where code could put some.
/// Nothing is trained.
/// </summary>
public sealed class SyntheticStudy : IDisposable
{
    public const string Name = "mnist-cnn";
    public const string HostileError = "<script>alert('x')</script> & crashed";
    public const string HostileChoice = "<b>avg</b>";

    public string ModelDir { get; } = Directory.CreateTempSubdirectory("autotune-report-").FullName;
    public string StorePath => Path.Combine(ModelDir, ".autotune", "study.db");

    public static readonly SearchSpace Space = new([
        new Parameter("ConvLayers", "int", new IntRange(1, 4), 2L),
        new Parameter("LearningRate", "double", new RealRange(1e-4, 1e-2, Log: true), 1e-3),
        new Parameter("Pooling", "string", new Choice(["max", HostileChoice]), "max"),
    ]);

    /// <summary>(state, per-epoch accuracy, error): trial 2 reaches accuracy>=0.99.</summary>
    private static readonly (TrialState State, double[] Accuracy, string? Error)[] Plan =
    [
        (TrialState.Completed, [0.80, 0.90, 0.95], null),
        (TrialState.Completed, [0.95, 0.985, 0.9931], null),
        (TrialState.Pruned, [0.85], null),
        (TrialState.Failed, [], HostileError),
        (TrialState.Completed, [0.93, 0.96, 0.97], null),
    ];

    /// <param name="settings">The study's settings column: "{}", or its constraints (<see cref="StudyConstraints.Write"/>).</param>
    public SyntheticStudy(string target = "accuracy>=0.99", string studyName = Name, int trials = 5, string settings = "{}")
    {
        File.WriteAllText(Path.Combine(ModelDir, Name + ".csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />\n");
        using var store = StudyStore.Open(StorePath);
        var study = store.CreateStudy(studyName, "samples/mnist-cnn", Space, target, "tpe", 7, settings);
        foreach (var (state, accuracy, error) in Plan.Take(trials))
        {
            var number = store.AddTrial(study, new Assignment(new Dictionary<string, object>
            {
                ["ConvLayers"] = (long)(store.Trials(study).Count % 4 + 1),
                ["LearningRate"] = 0.001 * (store.Trials(study).Count + 1),
                ["Pooling"] = state == TrialState.Failed ? HostileChoice : "max",
            })).Number;
            store.MarkRunning(study, number);
            for (var e = 0; e < accuracy.Length; e++)
                store.RecordEpoch(study, number, new MetricLine(e + 1, new Dictionary<string, double> { ["accuracy"] = accuracy[e], ["loss"] = 1 - accuracy[e] }, 0.5));
            store.Finish(study, number, state, accuracy.Length > 0 ? accuracy[^1] : null, restarts: state == TrialState.Failed ? 3 : 0, error);
        }
    }

    /// <summary>
    /// A report, made in memory, of <paramref name="count"/> completed trials drawn at random whose
    /// accuracy depends on the learning rate alone: enough of them, and the report says it mattered.
    /// </summary>
    public static StudyReport OfRandomTrials(int count)
    {
        var info = new StudyInfo(1, Name, "samples/mnist-cnn", Space, "accuracy>=0.99", "tpe", 7, "{}");
        var rng = new Random(3);
        var trials = Enumerable.Range(1, count).Select(n =>
        {
            var (values, accuracy) = RandomTrial(rng);
            return new StoredTrial(n, n, TrialState.Completed, values, accuracy, 1, 0, null,
                new Dictionary<int, IReadOnlyDictionary<string, double>> { [1] = new Dictionary<string, double> { ["accuracy"] = accuracy } });
        }).ToList();
        return StudyReport.From(info, trials, DateTimeOffset.UnixEpoch);
    }

    /// <summary>Adds <paramref name="count"/> completed trials like those of <see cref="OfRandomTrials"/> to the store, after the planned five.</summary>
    public void AddRandomTrials(int count, string studyName = Name)
    {
        using var store = StudyStore.Open(StorePath);
        var study = store.FindStudy(studyName)!;
        var rng = new Random(3);
        for (var i = 0; i < count; i++)
        {
            var (values, accuracy) = RandomTrial(rng);
            var number = store.AddTrial(study, values).Number;
            store.MarkRunning(study, number);
            store.RecordEpoch(study, number, new MetricLine(1, new Dictionary<string, double> { ["accuracy"] = accuracy }, 0.5));
            store.Finish(study, number, TrialState.Completed, accuracy, restarts: 0, error: null);
        }
    }

    private static (Assignment Values, double Accuracy) RandomTrial(Random rng)
    {
        var values = Domains.Sample(Space, rng);
        return (values, 0.99 - 0.02 * Math.Pow(Math.Log10((double)values["LearningRate"]) + 3, 2));
    }

    public void Dispose()
    {
        try { Directory.Delete(ModelDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

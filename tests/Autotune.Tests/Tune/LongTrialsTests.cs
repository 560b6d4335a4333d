using Autotune.Cli;
using Autotune.Search;
using Autotune.Study;
using Autotune.Tune;

namespace Autotune.Tests.Tune;

/// <summary>Epochs as the fidelity: after the baseline, `run` proposes the most epochs the space allows and early stopping ends the trial.</summary>
public sealed class LongTrialsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autotune-long-").FullName;

    private static readonly SearchSpace Space = new([
        new Parameter("HiddenUnits", "int", new Choice([16L, 32L, 64L]), 32L),
        new Parameter("LearningRate", "double", new RealRange(1e-4, 1e-1, Log: true), 1e-3),
        new Parameter("Epochs", "int", new IntRange(4, 16), 4L),
    ]);

    private static TuneSettings Settings(bool longTrials, int? maxEpochs = null) =>
        RunCommand.Merge(new SettingsFile(), "accuracy>=0.99", 10, maxEpochs, null, "random", 1, null, null, null, false, null) with { LongTrials = longTrials };

    [Fact]
    public void After_the_code_s_own_values_every_trial_is_proposed_with_the_most_epochs()
    {
        using var store = StudyStore.Open(Path.Combine(folder, "study.db"));
        var engine = StudyEngine.Open(store, "s", "m", Space, Settings(longTrials: true), new RandomStrategy());

        var baseline = engine.Propose()!;
        Finish(engine, baseline);
        var next = Enumerable.Range(0, 4).Select(_ => { var t = engine.Propose()!; Finish(engine, t); return t; }).ToList();

        baseline.Values["Epochs"].ShouldBe(4L);
        next.ShouldAllBe(t => (long)t.Values["Epochs"] == 16L);
    }

    [Fact]
    public void Max_epochs_bounds_the_most_epochs_and_searching_epochs_leaves_the_strategy_s_value()
    {
        LongTrials.For(Space, maxEpochs: 10)!.Most.ShouldBe(10L);
        LongTrials.For(Space, maxEpochs: 2)!.Most.ShouldBe(4L); // never below the range: the space holds every value proposed
        using var store = StudyStore.Open(Path.Combine(folder, "study.db"));
        var engine = StudyEngine.Open(store, "s", "m", Space, Settings(longTrials: false), new RandomStrategy());
        Finish(engine, engine.Propose()!);

        var drawn = Enumerable.Range(0, 6).Select(_ => { var t = engine.Propose()!; Finish(engine, t); return (long)t.Values["Epochs"]; }).ToList();

        drawn.Distinct().Count().ShouldBeGreaterThan(1);
    }

    [Fact]
    public void A_space_without_an_epoch_count_has_no_longest_form()
    {
        LongTrials.For(new SearchSpace([new Parameter("NumberOfTrees", "int", new IntRange(10, 500), 100L)]), null).ShouldBeNull();
        LongTrials.For(new SearchSpace([new Parameter("Epochs", "double", new RealRange(1, 5), 2.0)]), null).ShouldBeNull();
    }

    [Fact]
    public void When_every_longest_form_was_tried_the_values_are_trained_as_proposed_rather_than_ending_the_study()
    {
        var small = new SearchSpace([
            new Parameter("Pooling", "string", new Choice(["max", "avg"]), "max"),
            new Parameter("Epochs", "int", new IntRange(1, 3), 1L),
        ]);
        using var store = StudyStore.Open(Path.Combine(folder, "study.db"));
        var engine = StudyEngine.Open(store, "s", "m", small, Settings(longTrials: true), new RandomStrategy());

        var proposed = new List<StoredTrial>();
        while (proposed.Count < 6 && engine.Propose() is { } t) { Finish(engine, t); proposed.Add(t); }

        proposed.Count.ShouldBe(6); // every value of the space, each once
        proposed.Select(t => t.Values.ToString()).Distinct().Count().ShouldBe(6);
        proposed.Take(3).Select(t => t.Values.ToString()).ShouldBe(["Epochs=1, Pooling=max", "Epochs=3, Pooling=avg", "Epochs=3, Pooling=max"], ignoreOrder: true);
    }

    [Fact]
    public void The_values_written_for_a_trial_that_met_the_target_early_train_the_epochs_it_was_measured_at()
    {
        var values = new Assignment(new Dictionary<string, object> { ["HiddenUnits"] = 64L, ["LearningRate"] = 0.01, ["Epochs"] = 16L });
        var early = Stored(values, 0.992, [0.97, 0.985, 0.992, 0.99, 0.991]);
        var early2 = Stored(values, 0.99, [0.99, 0.991]); // measured at epoch 1, below the range's 4: the range's least
        var full = Stored(values, 0.95, Enumerable.Repeat(0.95, 16).ToArray());

        LongTrials.AsMeasured(early, Space, "accuracy")["Epochs"].ShouldBe(4L); // 3, below the range: its least
        LongTrials.AsMeasured(Stored(values, 0.991, [0.9, 0.92, 0.95, 0.97, 0.991, 0.99]), Space, "accuracy")["Epochs"].ShouldBe(5L);
        LongTrials.AsMeasured(early2, Space, "accuracy")["Epochs"].ShouldBe(4L);
        LongTrials.AsMeasured(full, Space, "accuracy").ShouldBe(values);
        LongTrials.AsMeasured(early, Space, "accuracy")["LearningRate"].ShouldBe(0.01);
    }

    private static StoredTrial Stored(Assignment values, double value, double[] epochs) =>
        new(1, 1, TrialState.Completed, values, value, epochs.Length, 0, null,
            epochs.Select((v, i) => (Epoch: i + 1, v)).ToDictionary(x => x.Epoch, x => (IReadOnlyDictionary<string, double>)new Dictionary<string, double> { ["accuracy"] = x.v }));

    private static void Finish(StudyEngine engine, StoredTrial trial)
    {
        engine.MarkRunning(trial.Number, "test");
        engine.RecordEpoch(trial.Number, new MetricLine(1, new Dictionary<string, double> { ["accuracy"] = 0.5 }, 1.0));
        engine.Finish(trial.Number, TrialState.Completed, 0.5, 0, null);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

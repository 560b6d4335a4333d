using Autotune;
using Autotune.Cli;
using Autotune.Search;
using Autotune.Study;
using Autotune.Tests.Report;
using Autotune.Tune;

namespace Autotune.Tests.Tune;

/// <summary>The study's decisions that sit between the strategies and the runners.</summary>
public sealed class StudyEngineTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autotune-engine-").FullName;

    /// <summary>A fake strategy that proposes the code's values for ever, as a strategy falling back to a repeated draw would.</summary>
    private sealed class FakeRepeatingStrategy : IStrategy
    {
        public int Calls { get; private set; }
        public string Name => "repeat";
        public Assignment? Propose(SearchSpace space, IReadOnlyList<SearchTrial> history, Random rng)
        {
            Calls++;
            return space.Current();
        }
    }

    [Fact]
    public void Values_already_tried_are_never_queued_again_even_when_the_strategy_proposes_them()
    {
        using var store = StudyStore.Open(Path.Combine(folder, "study.db"));
        var strategy = new FakeRepeatingStrategy();
        var engine = StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, Settings(), strategy);

        var first = engine.Propose()!;
        Train(engine, first, epochs: 1, TrialState.Completed);

        engine.Propose().ShouldBeNull();
        engine.Trials().Count.ShouldBe(1);
        strategy.Calls.ShouldBeGreaterThan(2); // asked again with other random streams before giving up
    }

    [Fact]
    public void A_trial_at_the_last_epoch_it_planned_is_not_pruned_even_when_it_ranks_below_the_rung()
    {
        using var store = StudyStore.Open(Path.Combine(folder, "study.db"));
        var engine = StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, Settings(), new RandomStrategy());
        // Three trials of three epochs that did better at the first rung (epoch 1).
        for (var i = 0; i < 3; i++) Train(engine, engine.Propose()!, epochs: 3, TrialState.Completed, accuracy: 0.9);
        var weak = engine.Propose()!;

        engine.Judge(weak.Number, weak.Values, [0.5], timedOut: false).ShouldBe(EpochVerdict.Pruned);
        engine.Judge(weak.Number, weak.Values, [0.5], timedOut: false, lastEpoch: true).ShouldBe(EpochVerdict.Continue);
    }

    [Fact]
    public void A_program_whose_first_trial_trained_one_epoch_and_ended_has_no_trial_pruned_at_that_epoch()
    {
        using var store = StudyStore.Open(Path.Combine(folder, "study.db"));
        var engine = StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, Settings(), new RandomStrategy());
        // Trial 1 (the code's values) printed one AUC and ended, as a tree ensemble fitted in one call does.
        for (var i = 0; i < 3; i++) Train(engine, engine.Propose()!, epochs: 1, TrialState.Completed, accuracy: 0.9);
        var weak = engine.Propose()!;

        engine.Judge(weak.Number, weak.Values, [0.5], timedOut: false).ShouldBe(EpochVerdict.Continue);
    }

    [Fact]
    public void The_sdk_marks_an_epoch_line_with_the_epochs_the_program_planned()
    {
        var line = MetricsFile.Parse("""{"epoch":3,"metrics":{"accuracy":0.9},"of":3}""")!;
        line.IsLast.ShouldBeTrue();
        MetricsFile.Parse("""{"epoch":2,"metrics":{"accuracy":0.9},"of":3}""")!.IsLast.ShouldBeFalse();
        MetricsFile.Parse("""{"epoch":2,"metrics":{"accuracy":0.9}}""")!.IsLast.ShouldBeFalse();
    }

    private static TuneSettings Settings() =>
        RunCommand.Merge(new SettingsFile(), "accuracy>=0.99", 10, null, null, "random", 1, null, null, null, false, null);

    private static void Train(StudyEngine engine, StoredTrial trial, int epochs, TrialState state, double accuracy = 0.5)
    {
        engine.MarkRunning(trial.Number, "test");
        for (var e = 1; e <= epochs; e++)
            engine.RecordEpoch(trial.Number, new MetricLine(e, new Dictionary<string, double> { ["accuracy"] = accuracy }, 1.0));
        engine.Finish(trial.Number, state, accuracy, 0, null);
    }

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
    }
}

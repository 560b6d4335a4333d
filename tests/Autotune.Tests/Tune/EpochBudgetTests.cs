using Autotune;
using Autotune.Cli;
using Autotune.Search;
using Autotune.Study;
using Autotune.Tests.Report;
using Autotune.Tune;

namespace Autotune.Tests.Tune;

/// <summary>`run --epoch-budget N`: a study bounded by the epochs its trials train, so trials stopped early buy more trials.</summary>
public sealed class EpochBudgetTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autotune-epoch-budget-").FullName;

    [Fact]
    public void No_trial_is_proposed_once_the_trials_so_far_trained_the_whole_epoch_budget()
    {
        using var store = StudyStore.Open(Path.Combine(folder, "study.db"));
        var settings = RunCommand.Merge(new SettingsFile(), "accuracy>=0.99", null, null, null, "random", 1, null, null, null, false, null, epochBudget: 5);
        var engine = StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, settings);

        Train(engine, engine.Propose()!, epochs: 1, TrialState.Pruned);
        Train(engine, engine.Propose()!, epochs: 3, TrialState.Completed);
        engine.BudgetSpent(engine.Trials()).ShouldBeFalse();
        var third = engine.Propose()!; // 4 of 5 spent: one more trial starts, and may finish beyond the budget
        Train(engine, third, epochs: 3, TrialState.Completed);

        engine.Propose().ShouldBeNull();
        engine.BudgetSpent(engine.Trials()).ShouldBeTrue();
        engine.BudgetDescription(engine.Trials()).ShouldBe("7 of 5 epoch(s)");
    }

    [Fact]
    public void An_epoch_budget_alone_does_not_count_trials_and_with_max_trials_both_bound_the_study()
    {
        var alone = RunCommand.Merge(new SettingsFile(), "accuracy>=0.99", null, 4, null, null, null, null, null, null, false, null, epochBudget: 48);
        alone.MaxTrials.ShouldBe(TuneSettingsBudget.NoTrialLimit);
        alone.BudgetText().ShouldBe("at most 48 epoch(s)");
        alone.ExpectedTrials().ShouldBe(12);

        var both = RunCommand.Merge(new SettingsFile(EpochBudget: 48), "accuracy>=0.99", 6, 4, null, null, null, null, null, null, false, null);
        both.EpochBudget.ShouldBe(48);
        both.BudgetText().ShouldBe("at most 6 trial(s) or 48 epoch(s)");
        both.ExpectedTrials().ShouldBe(6);

        RunCommand.Merge(new SettingsFile(), "accuracy>=0.99", null, null, null, null, null, null, null, null, false, null).ExpectedTrials().ShouldBe(20);
    }

    [Fact]
    public void An_epoch_budget_below_one_is_refused_in_one_line() =>
        Should.Throw<AutotuneException>(() => RunCommand.Merge(new SettingsFile(), "accuracy>=0.99", null, null, null, null, null, null, null, null, false, null, epochBudget: 0))
            .Message.ShouldBe("--epoch-budget must be at least 1");

    private static void Train(StudyEngine engine, StoredTrial trial, int epochs, TrialState state)
    {
        engine.MarkRunning(trial.Number, "test");
        for (var e = 1; e <= epochs; e++)
            engine.RecordEpoch(trial.Number, new MetricLine(e, new Dictionary<string, double> { ["accuracy"] = 0.5 + 0.01 * e }, 1.0));
        engine.Finish(trial.Number, state, 0.5 + 0.01 * epochs, 0, null);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

using Autotune.Search;

namespace Autotune.Tests.Search;

public sealed class AshaSchedulerTests
{
    private static readonly Assignment Any = new(new Dictionary<string, object>());

    private static SearchTrial Running(int number, Direction direction, params double[] epochs) =>
        new(number, Any, SearchTrialState.Running, null, epochs, direction);

    [Fact]
    public void Rungs_sit_at_min_epochs_times_powers_of_eta_below_max_epochs()
    {
        new AshaScheduler(minEpochs: 1, reductionFactor: 3, maxEpochs: 27).Rungs.ShouldBe([1, 3, 9]);
        new AshaScheduler(minEpochs: 2, reductionFactor: 2, maxEpochs: 20).Rungs.ShouldBe([2, 4, 8, 16]);
        new AshaScheduler(minEpochs: 5, maxEpochs: 5).Rungs.ShouldBeEmpty();
    }

    [Fact]
    public void The_next_rung_is_how_far_a_trial_may_train_before_it_is_judged()
    {
        var asha = new AshaScheduler(minEpochs: 1, reductionFactor: 3, maxEpochs: 27);
        asha.NextRung(0).ShouldBe(1);
        asha.NextRung(1).ShouldBe(3);
        asha.NextRung(5).ShouldBe(9);
        asha.NextRung(9).ShouldBeNull();
    }

    [Fact]
    public void At_a_rung_the_top_third_is_promoted_and_the_rest_pruned()
    {
        var asha = new AshaScheduler(minEpochs: 1, reductionFactor: 3, maxEpochs: 9);
        var trials = Enumerable.Range(0, 9).Select(i => Running(i, Direction.Maximize, 0.1 * (i + 1))).ToList();

        var promoted = trials.Where(t => asha.Decide(t, trials) == TrialDecision.Continue).Select(t => t.Number);
        promoted.ShouldBe([6, 7, 8]);
    }

    [Fact]
    public void When_minimising_the_lowest_values_are_promoted()
    {
        var asha = new AshaScheduler(minEpochs: 2, reductionFactor: 2, maxEpochs: 8);
        var trials = new[] { 0.9, 0.2, 0.5, 0.3 }.Select((loss, i) => Running(i, Direction.Minimize, 1.0, loss)).ToList();

        trials.Where(t => asha.Decide(t, trials) == TrialDecision.Continue).Select(t => t.Number).ShouldBe([1, 3]);
    }

    [Fact]
    public void Trials_continue_between_rungs_and_the_first_to_reach_a_rung_continues()
    {
        var asha = new AshaScheduler(minEpochs: 1, reductionFactor: 3, maxEpochs: 27);
        var first = Running(0, Direction.Maximize, 0.1);
        asha.Decide(first, [first]).ShouldBe(TrialDecision.Continue);

        var strong = Running(1, Direction.Maximize, 0.9, 0.95);
        var weak = Running(2, Direction.Maximize, 0.1, 0.2);
        asha.Decide(weak, [strong, weak]).ShouldBe(TrialDecision.Continue); // epoch 2 is no rung
    }

    [Fact]
    public void A_trial_arriving_below_an_earlier_one_is_pruned_and_promoted_once_enough_weaker_trials_arrive()
    {
        var asha = new AshaScheduler(minEpochs: 1, reductionFactor: 3, maxEpochs: 9);
        var leader = Running(0, Direction.Maximize, 0.6, 0.7);
        var second = Running(1, Direction.Maximize, 0.5);
        asha.Decide(second, [leader, second]).ShouldBe(TrialDecision.Stop);

        var trials = new List<SearchTrial> { leader, SearchTrial.Pruned(1, Any, [0.5], Direction.Maximize) };
        asha.Promotable(trials).ShouldBeEmpty();
        for (var i = 2; i < 6; i++) trials.Add(SearchTrial.Pruned(i, Any, [0.1 * (i - 1)], Direction.Maximize));
        asha.Promotable(trials).Select(t => t.Number).ShouldBe([1]); // top 2 of 6: the leader (already on) and trial 1
    }

    [Fact]
    public void Bad_settings_are_refused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new AshaScheduler(0));
        Should.Throw<ArgumentOutOfRangeException>(() => new AshaScheduler(1, reductionFactor: 1));
        Should.Throw<ArgumentOutOfRangeException>(() => new AshaScheduler(4, maxEpochs: 2));
    }
}

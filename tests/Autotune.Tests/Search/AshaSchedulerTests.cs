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

    private static SearchTrial Done(int number, double value, params double[] epochs) =>
        SearchTrial.Completed(number, Any, value, Direction.Maximize, epochs);

    [Fact]
    public void With_evidence_a_rung_stops_no_one_until_that_many_trials_have_trained_past_it()
    {
        var asha = new AshaScheduler(minEpochs: 1, reductionFactor: 3, maxEpochs: 9, evidence: 3);
        var trials = new List<SearchTrial> { Done(0, 0.9, 0.8, 0.9), Done(1, 0.95, 0.85, 0.95) };
        var weak = Running(2, Direction.Maximize, 0.1);
        asha.Decide(weak, [.. trials, weak]).ShouldBe(TrialDecision.Continue); // two trials past the rung: not yet

        trials.Add(Done(3, 0.97, 0.9, 0.97));
        asha.Decide(weak, [.. trials, weak]).ShouldBe(TrialDecision.Stop); // the rung's order held: it prunes
    }

    [Fact]
    public void A_trial_behind_by_less_than_a_lead_that_was_later_lost_is_not_stopped()
    {
        // Spirals: accuracy sits at chance (1/3) for epochs, and the trial ahead at epoch 1 ended worse.
        var asha = new AshaScheduler(minEpochs: 1, reductionFactor: 3, maxEpochs: 27, evidence: 3);
        var past = new List<SearchTrial> { Done(0, 0.37, 0.37, 0.36, 0.37), Done(1, 0.99, 0.34, 0.35, 0.99), Done(2, 0.36, 0.36, 0.35, 0.36) };
        AshaScheduler.ReversalMargin(1, past).ShouldBe(0.03, tolerance: 1e-9);

        var atChance = Running(3, Direction.Maximize, 0.3333);
        asha.Decide(atChance, [.. past, atChance]).ShouldBe(TrialDecision.Continue); // 0.0367 behind the best, 0.0267 behind the cut
        var broken = Running(4, Direction.Maximize, 0.1);
        asha.Decide(broken, [.. past, broken]).ShouldBe(TrialDecision.Stop); // far further behind than any reversal
    }

    [Fact]
    public void A_rung_that_has_seen_no_reversal_still_does_not_prune_within_the_metrics_noise()
    {
        // Three trials at chance, each wandering by about 0.02 an epoch, none yet overtaken: the rung's order
        // never reversed, but a newcomer 0.05 behind at epoch 1 is behind by noise, not by a worse setting.
        var asha = new AshaScheduler(minEpochs: 1, reductionFactor: 3, maxEpochs: 27, evidence: 3);
        var past = new List<SearchTrial>
        {
            Done(0, 0.38, 0.38, 0.35, 0.39, 0.36, 0.38, 0.34, 0.38),
            Done(1, 0.36, 0.37, 0.34, 0.37, 0.33, 0.36, 0.38, 0.36),
            Done(2, 0.35, 0.36, 0.38, 0.35, 0.37, 0.33, 0.36, 0.35),
        };
        AshaScheduler.ReversalMargin(1, past).ShouldBe(0);
        var atChance = Running(3, Direction.Maximize, 0.32);
        asha.Decide(atChance, [.. past, atChance]).ShouldBe(TrialDecision.Continue);
        var broken = Running(4, Direction.Maximize, 0.1);
        asha.Decide(broken, [.. past, broken]).ShouldBe(TrialDecision.Stop);
    }

    [Fact]
    public void When_minimising_the_reversal_margin_is_the_largest_loss_lead_that_was_later_lost()
    {
        var past = new List<SearchTrial>
        {
            SearchTrial.Completed(0, Any, 0.5, Direction.Minimize, [1.0, 0.5]),
            SearchTrial.Completed(1, Any, 0.2, Direction.Minimize, [1.2, 0.2]),
            SearchTrial.Completed(2, Any, 0.1, Direction.Minimize, [0.9, 0.1]),
        };
        AshaScheduler.ReversalMargin(1, past).ShouldBe(0.2, tolerance: 1e-9); // trial 0 led trial 1 by 0.2 at epoch 1 and ended behind it
    }

    [Fact]
    public void Bad_settings_are_refused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new AshaScheduler(0));
        Should.Throw<ArgumentOutOfRangeException>(() => new AshaScheduler(1, reductionFactor: 1));
        Should.Throw<ArgumentOutOfRangeException>(() => new AshaScheduler(4, maxEpochs: 2));
    }
}

using Autotune.Search;

namespace Autotune.Tests.Search;

public sealed class StudyHistoryTests
{
    // Spiral-like trials: accuracy wandering around chance by about 0.015 an epoch, each ending somewhere in that noise.
    private static SearchTrial AtChance(int number, double final, double? loss)
    {
        double[] epochs = [0.35, 0.37, 0.34, 0.36, 0.38, 0.35, final];
        return SearchTrial.Completed(number, new Assignment(new Dictionary<string, object> { ["Width"] = (long)number }), final, Direction.Maximize, epochs)
            with { Companion = loss };
    }

    [Fact]
    public void Trials_whose_metric_is_within_its_noise_are_ranked_by_their_loss()
    {
        IReadOnlyList<SearchTrial> history = [AtChance(1, 0.386, 1.078), AtChance(2, 0.361, 0.972), AtChance(3, 0.374, 1.051)];
        history.Ranked().Select(t => t.Number).ShouldBe([2, 3, 1]);
        history.Best()!.Number.ShouldBe(2);
    }

    [Fact]
    public void A_trial_clearly_ahead_of_the_noise_stays_first_whatever_its_loss()
    {
        IReadOnlyList<SearchTrial> history = [AtChance(1, 0.593, 1.2), AtChance(2, 0.361, 0.972), AtChance(3, 0.374, 1.051)];
        history.Ranked().Select(t => t.Number).ShouldBe([1, 2, 3]);
    }

    [Fact]
    public void Without_a_loss_or_without_epochs_to_read_the_noise_from_trials_rank_by_their_metric()
    {
        IReadOnlyList<SearchTrial> noLoss = [AtChance(1, 0.386, null), AtChance(2, 0.361, null), AtChance(3, 0.374, null)];
        noLoss.Ranked().Select(t => t.Number).ShouldBe([1, 3, 2]);

        // One epoch each (boosted trees): no noise to read, so 0.9902 beats 0.9901 as before.
        IReadOnlyList<SearchTrial> oneEpoch =
        [
            SearchTrial.Completed(1, new Assignment(new Dictionary<string, object> { ["Trees"] = 100L }), 0.9901, Direction.Maximize) with { Companion = 0.1 },
            SearchTrial.Completed(2, new Assignment(new Dictionary<string, object> { ["Trees"] = 200L }), 0.9902, Direction.Maximize) with { Companion = 0.2 },
        ];
        oneEpoch.Ranked().Select(t => t.Number).ShouldBe([2, 1]);
    }

    [Fact]
    public void An_infeasible_trial_ranks_after_every_feasible_one_whatever_its_value()
    {
        static SearchTrial Trial(int number, double accuracy, bool feasible, SearchTrialState state = SearchTrialState.Completed) =>
            (state == SearchTrialState.Completed
                ? SearchTrial.Completed(number, new Assignment(new Dictionary<string, object> { ["Filters"] = (long)number }), accuracy, Direction.Maximize)
                : SearchTrial.Pruned(number, new Assignment(new Dictionary<string, object> { ["Filters"] = (long)number }), [accuracy], Direction.Maximize))
            with { Feasible = feasible };
        IReadOnlyList<SearchTrial> history =
        [
            Trial(1, 0.95, feasible: true), Trial(2, 0.995, feasible: false), Trial(3, 0.97, feasible: true),
            Trial(4, 0.90, feasible: true, SearchTrialState.Pruned), Trial(5, 0.99, feasible: false),
        ];

        history.Ranked().Select(t => t.Number).ShouldBe([3, 1, 4, 2, 5]);
        history.Best()!.Number.ShouldBe(3);
    }
}

using Autotune.Search;

namespace Autotune.Tests.Search;

public sealed class ParetoFrontTests
{
    private static ParetoPoint P(int number, double accuracy, params double[] minimized) => new(number, accuracy, minimized);

    private static readonly Target Accuracy = Target.Parse("accuracy>=0.99");

    [Fact]
    public void The_front_keeps_the_trials_no_other_beats_on_accuracy_and_size_at_once_best_accuracy_first()
    {
        // 2 beats 3 on both; 1 is small, 4 accurate, 5 between them: each is best somewhere.
        var points = new[] { P(1, 0.97, 10_000), P(2, 0.992, 50_000), P(3, 0.99, 60_000), P(4, 0.995, 400_000), P(5, 0.985, 20_000) };

        ParetoFront.Of(points, Direction.Maximize).Select(p => p.Number).ShouldBe([4, 2, 5, 1]);
    }

    [Fact]
    public void For_a_metric_to_minimize_the_front_runs_the_other_way()
    {
        var points = new[] { P(1, 0.05, 10), P(2, 0.03, 20), P(3, 0.04, 30) };

        ParetoFront.Of(points, Direction.Minimize).Select(p => p.Number).ShouldBe([2, 1]);
    }

    [Fact]
    public void Two_trials_equal_on_every_objective_are_both_on_the_front()
    {
        ParetoFront.Of([P(1, 0.99, 100), P(2, 0.99, 100)], Direction.Maximize).Select(p => p.Number).ShouldBe([1, 2]);
    }

    [Fact]
    public void A_trial_that_never_reported_a_secondary_metric_is_the_worst_there_and_still_on_the_front_by_its_value()
    {
        var missing = ParetoPoint.Of(1, 0.995, ["params"], new Dictionary<string, double> { ["accuracy"] = 0.995 });
        missing.Minimized.ShouldBe([double.PositiveInfinity]);

        ParetoFront.Of([missing, P(2, 0.99, 1_000)], Direction.Maximize).Select(p => p.Number).ShouldBe([1, 2]);
        ParetoFront.Of([missing, P(2, 0.995, 1_000)], Direction.Maximize).Select(p => p.Number).ShouldBe([2]);
    }

    [Fact]
    public void Without_secondary_objectives_the_front_is_the_best_value()
    {
        ParetoFront.Of([P(1, 0.9), P(2, 0.95), P(3, 0.95)], Direction.Maximize).Select(p => p.Number).ShouldBe([2, 3]);
    }

    [Fact]
    public void The_pick_is_the_smallest_of_the_trials_on_target_not_the_most_accurate()
    {
        var points = new[] { P(1, 0.995, 400_000), P(2, 0.991, 50_000), P(3, 0.97, 1_000) };

        ParetoFront.Pick(points, Accuracy)!.Number.ShouldBe(2);
    }

    [Fact]
    public void The_pick_reads_the_secondary_objectives_in_the_order_given_then_the_value_then_the_earlier_trial()
    {
        // params first, latency second.
        var points = new[] { P(1, 0.99, 50_000, 3.0), P(2, 0.991, 50_000, 2.0), P(3, 0.995, 50_000, 2.0), P(4, 0.999, 60_000, 0.5) };
        ParetoFront.Pick(points, Accuracy)!.Number.ShouldBe(3);

        ParetoFront.Pick([P(1, 0.99, 100), P(2, 0.99, 100)], Accuracy)!.Number.ShouldBe(1);
    }

    [Fact]
    public void When_no_trial_reaches_the_target_the_pick_is_the_best_value_whatever_its_size()
    {
        var points = new[] { P(1, 0.98, 400_000), P(2, 0.97, 1_000) };

        ParetoFront.Pick(points, Accuracy)!.Number.ShouldBe(1);
    }

    [Fact]
    public void A_trial_on_target_that_never_reported_the_metric_to_minimize_is_picked_only_when_no_other_is_on_target()
    {
        var unreported = P(1, 0.999, double.PositiveInfinity);

        ParetoFront.Pick([unreported, P(2, 0.99, 400_000)], Accuracy)!.Number.ShouldBe(2);
        ParetoFront.Pick([unreported, P(2, 0.98, 1_000)], Accuracy)!.Number.ShouldBe(1);
    }

    [Fact]
    public void Without_secondary_objectives_the_pick_is_the_best_value_and_ties_go_to_the_earlier_trial()
    {
        ParetoFront.Pick([P(1, 0.99), P(2, 0.995), P(3, 0.995)], Accuracy)!.Number.ShouldBe(2);
        ParetoFront.Pick([], Accuracy).ShouldBeNull();
    }
}

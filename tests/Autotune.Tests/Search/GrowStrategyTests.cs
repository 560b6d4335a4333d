using Autotune.Search;

namespace Autotune.Tests.Search;

public sealed class GrowStrategyTests
{
    private static readonly SearchSpace Space = new([
        new Parameter("ConvLayers", "int", new IntRange(1, 8), 2L),
        new Parameter("Filters", "int", new Choice([16L, 32L, 64L]), 16L),
        new Parameter("LearningRate", "double", new RealRange(1e-4, 1e-2, Log: true), 1e-3),
        new Parameter("Pooling", "string", new Choice(["max", "avg"]), "max"),
    ]);

    /// <summary>Accuracy that rises with layers up to 4 and with filters up to 32, then falls.</summary>
    private static double Accuracy(Assignment a) =>
        0.9 - 0.01 * Math.Abs((long)a["ConvLayers"] - 4) - ((long)a["Filters"] == 32 ? 0 : 0.005);

    private static List<SearchTrial> RunToEnd(IStrategy strategy)
    {
        var history = new List<SearchTrial>();
        while (strategy.Propose(Space, history, StudyHistory.RandomFor(1, history.Count)) is { } next && history.Count < 50)
            history.Add(SearchTrial.Completed(history.Count, next, Accuracy(next), Direction.Maximize));
        return history;
    }

    [Fact]
    public void Grow_adds_capacity_one_parameter_at_a_time_and_keeps_only_improvements()
    {
        var steps = RunToEnd(new GrowStrategy()).Select(t => ((long)t.Assignment["ConvLayers"], (long)t.Assignment["Filters"])).ToList();
        steps.ShouldBe([
            (2, 16),  // the code's values
            (3, 16),  // better: kept
            (4, 16),  // better: kept
            (5, 16),  // worse: dropped
            (4, 32),  // better: kept
            (5, 32),  // worse
            (4, 64),  // worse: nothing left to grow, stop
        ]);
    }

    [Fact]
    public void Grow_stops_when_no_step_improves_and_leaves_other_parameters_at_the_codes_values()
    {
        var history = RunToEnd(new GrowStrategy());
        new GrowStrategy().Propose(Space, history, new Random(1)).ShouldBeNull();
        history.Best()!.Assignment["ConvLayers"].ShouldBe(4L);
        history.Best()!.Assignment["Filters"].ShouldBe(32L);
        history.ShouldAllBe(t => t.Assignment["LearningRate"].Equals(1e-3) && t.Assignment["Pooling"].Equals("max"));
    }

    [Fact]
    public void Grow_keeps_a_step_only_when_it_improves_by_more_than_the_minimum()
    {
        // Each layer adds 0.01: a minimum improvement of 0.02 keeps none of them.
        var steps = RunToEnd(new GrowStrategy(minImprovement: 0.02))
            .Select(t => ((long)t.Assignment["ConvLayers"], (long)t.Assignment["Filters"])).ToList();
        steps.ShouldBe([(2, 16), (3, 16), (2, 32)]); // both steps tried from the baseline, neither kept
    }

    [Fact]
    public void Grow_treats_pruned_and_failed_steps_as_no_improvement()
    {
        var baseline = SearchTrial.Completed(0, Space.Current(), 0.5, Direction.Maximize);
        var layerStep = new GrowStrategy().Propose(Space, [baseline], new Random(1))!;
        var history = new List<SearchTrial> { baseline, SearchTrial.Pruned(1, layerStep, [0.9], Direction.Maximize) };
        var filterStep = new GrowStrategy().Propose(Space, history, new Random(1))!;
        filterStep["ConvLayers"].ShouldBe(2L);
        filterStep["Filters"].ShouldBe(32L);

        history.Add(new SearchTrial(2, filterStep, SearchTrialState.Failed, null, [], Direction.Maximize));
        new GrowStrategy().Propose(Space, history, new Random(1)).ShouldBeNull();
    }

    [Theory]
    [InlineData(2L, 3L)]
    [InlineData(8L, null)]
    public void The_next_larger_integer_is_one_step_up_within_the_range(long value, long? expected) =>
        GrowStrategy.NextLarger(new IntRange(1, 8), value).ShouldBe(expected);

    [Fact]
    public void On_a_log_integer_range_the_next_larger_value_doubles()
    {
        GrowStrategy.NextLarger(new IntRange(16, 256, Log: true), 16L).ShouldBe(32L);
        GrowStrategy.NextLarger(new IntRange(8, 512, Step: 8, Log: true), 24L).ShouldBe(48L);
        GrowStrategy.NextLarger(new IntRange(16, 256, Log: true), 200L).ShouldBeNull();
    }

    [Fact]
    public void On_an_integer_range_spanning_ten_times_its_minimum_the_next_larger_value_doubles()
    {
        // 10 -> 11 trees is no step in capacity on 5..400; 2 -> 3 layers on 1..8 is.
        GrowStrategy.NextLarger(new IntRange(5, 400), 10L).ShouldBe(20L);
        GrowStrategy.NextLarger(new IntRange(5, 400), 300L).ShouldBeNull();
        GrowStrategy.NextLarger(new IntRange(1, 9), 2L).ShouldBe(3L);
        GrowStrategy.NextLarger(new IntRange(0, 100), 2L).ShouldBe(3L); // from zero nothing doubles
    }

    [Fact]
    public void Reals_strings_and_bools_do_not_grow()
    {
        GrowStrategy.NextLarger(new RealRange(0, 1), 0.5).ShouldBeNull();
        GrowStrategy.NextLarger(new Choice(["max", "avg"]), "max").ShouldBeNull();
        GrowStrategy.NextLarger(new Choice([false, true]), false).ShouldBeNull();
    }
}

using Autotune.Search;

namespace Autotune.Tests.Search;

public sealed class ParameterImportanceTests
{
    private static readonly Dictionary<string, double> ActivationPenalty = new() { ["relu"] = 0, ["tanh"] = 0.4, ["gelu"] = 0.1, ["sigmoid"] = 1.0 };

    /// <summary>Four parameters of every kind: a real, a log real, a choice and an integer.</summary>
    private static readonly SearchSpace Space = new([
        new Parameter("X", "double", new RealRange(0, 1), 0.5),
        new Parameter("LearningRate", "double", new RealRange(1e-5, 1e-1, Log: true), 1e-3),
        new Parameter("Activation", "string", new Choice(["relu", "tanh", "gelu", "sigmoid"]), "relu"),
        new Parameter("Layers", "int", new IntRange(1, 8), 2L),
    ]);

    private static List<SearchTrial> RandomTrials(Func<Assignment, double> objective, int count, int seed = 1, Direction direction = Direction.Minimize)
    {
        var rng = new Random(seed);
        return Enumerable.Range(1, count).Select(n =>
        {
            var a = Domains.Sample(Space, rng);
            return SearchTrial.Completed(n, a, objective(a), direction);
        }).ToList();
    }

    private static double ShareOf(ParameterImportance importance, string name) => importance.Shares.Single(s => s.Parameter == name).Share;

    [Fact]
    public void When_only_one_real_parameter_moves_the_objective_it_ranks_first_with_nearly_all_the_share()
    {
        var importance = ParameterImportance.Of(Space, RandomTrials(a => Math.Pow((double)a["X"] - 0.3, 2), 40));

        importance.IsKnown.ShouldBeTrue(importance.Reason);
        importance.Shares[0].Parameter.ShouldBe("X");
        importance.Shares[0].Share.ShouldBeGreaterThan(0.85);
        foreach (var name in new[] { "LearningRate", "Activation", "Layers" }) ShareOf(importance, name).ShouldBeLessThan(0.05, name);
    }

    [Fact]
    public void A_log_range_and_a_choice_that_matter_take_the_first_two_places_and_the_irrelevant_ones_get_almost_nothing()
    {
        var importance = ParameterImportance.Of(Space, RandomTrials(
            a => Math.Pow(Math.Log10((double)a["LearningRate"]) + 3, 2) / 4 + ActivationPenalty[(string)a["Activation"]], 40));

        importance.Shares.Take(2).Select(s => s.Parameter).ShouldBe(["LearningRate", "Activation"], ignoreOrder: true);
        (ShareOf(importance, "LearningRate") + ShareOf(importance, "Activation")).ShouldBeGreaterThan(0.9);
        ShareOf(importance, "X").ShouldBeLessThan(0.05);
        ShareOf(importance, "Layers").ShouldBeLessThan(0.05);
    }

    [Fact]
    public void Shares_are_never_negative_and_add_up_to_one_listed_highest_first()
    {
        var importance = ParameterImportance.Of(Space, RandomTrials(a => (long)a["Layers"] + 3 * (double)a["X"], 30, seed: 5));

        importance.Shares.Count.ShouldBe(4);
        importance.Shares.ShouldAllBe(s => s.Share >= 0);
        importance.Shares.Sum(s => s.Share).ShouldBe(1, 1e-9);
        importance.Shares.Select(s => s.Share).ShouldBeInOrder(SortDirection.Descending);
    }

    [Fact]
    public void The_same_trials_give_the_same_shares_in_whatever_order_they_arrive_and_whichever_way_the_metric_points()
    {
        double Objective(Assignment a) => Math.Pow((double)a["X"] - 0.3, 2) + 0.2 * ActivationPenalty[(string)a["Activation"]];
        var trials = RandomTrials(Objective, 40, seed: 3);

        var first = ParameterImportance.Of(Space, trials);
        var again = ParameterImportance.Of(Space, Enumerable.Reverse(trials).ToList());
        var maximized = ParameterImportance.Of(Space, RandomTrials(Objective, 40, seed: 3, Direction.Maximize));

        again.Shares.ShouldBe(first.Shares);
        maximized.Shares.ShouldBe(first.Shares);
    }

    [Fact]
    public void Below_the_minimum_of_completed_trials_there_are_no_shares_and_the_reason_counts_them()
    {
        var trials = RandomTrials(a => (double)a["X"], 7);
        // Pruned, failed and running trials do not count towards the minimum.
        trials.Add(SearchTrial.Pruned(8, Domains.Sample(Space, new Random(8)), [0.5], Direction.Minimize));
        trials.Add(SearchTrial.Failed(9, Domains.Sample(Space, new Random(9)), Direction.Minimize));
        trials.Add(SearchTrial.Running(10, Domains.Sample(Space, new Random(10)), Direction.Minimize));

        var importance = ParameterImportance.Of(Space, trials);

        ParameterImportance.MinimumTrials(Space).ShouldBe(8);
        importance.IsKnown.ShouldBeFalse();
        importance.Shares.ShouldBeEmpty();
        importance.Reason.ShouldBe("not enough completed trials (7 of 8 needed)");
        (importance.Trials, importance.Needed).ShouldBe((7, 8));
        ParameterImportance.Of(Space, RandomTrials(a => (double)a["X"], 8)).IsKnown.ShouldBeTrue();
    }

    [Fact]
    public void A_space_of_many_parameters_needs_two_completed_trials_for_each()
    {
        var wide = new SearchSpace([.. Enumerable.Range(0, 6).Select(i => new Parameter($"P{i}", "double", new RealRange(0, 1), 0.5))]);

        ParameterImportance.MinimumTrials(wide).ShouldBe(12);
    }

    [Fact]
    public void A_trial_whose_value_is_not_in_the_space_is_left_out_rather_than_guessed()
    {
        var trials = RandomTrials(a => (double)a["X"], 8);
        trials[0] = SearchTrial.Completed(1, new Assignment(new Dictionary<string, object>(trials[0].Assignment.Values) { ["Activation"] = "swish" }), 0.1, Direction.Minimize);

        ParameterImportance.Of(Space, trials).Reason.ShouldBe("not enough completed trials (7 of 8 needed)");
    }

    [Fact]
    public void When_every_trial_scored_the_same_no_parameter_is_said_to_matter()
    {
        var importance = ParameterImportance.Of(Space, RandomTrials(_ => 0.97, 20));

        importance.IsKnown.ShouldBeFalse();
        importance.Reason.ShouldBe("every completed trial has the same value: no parameter made a difference");
    }
}

using Autotune.Search;
using Autotune.Study;

namespace Autotune.Tests.Search;

/// <summary>Parameters that apply only for some values of another ([When]): what the strategies draw, and what counts as one trial.</summary>
public sealed class ConditionalSpaceTests
{
    // Momentum applies only with sgd; its value in the code is 0.
    private static readonly SearchSpace Optimizers = new([
        new Parameter("Optimizer", "string", new Choice(["adam", "sgd"]), "adam"),
        new Parameter("Momentum", "double", new RealRange(0, 0.99), 0.0) { When = new Condition("Optimizer", ["sgd"]) },
        new Parameter("LearningRate", "double", new RealRange(1e-4, 1e-1, Log: true), 1e-3),
    ]);

    // A width for each layer that exists: Width2 up to ConvLayers 2, Width3 up to 3.
    private static readonly SearchSpace Layers = new([
        new Parameter("ConvLayers", "int", new IntRange(1, 3), 1L),
        new Parameter("Width2", "int", new Choice([16L, 32L]), 16L) { When = new Condition("ConvLayers", [], AtLeast: 2) },
        new Parameter("Width3", "int", new Choice([16L, 32L]), 16L) { When = new Condition("ConvLayers", [], AtLeast: 3) },
    ]);

    private static Assignment Values(params (string Name, object Value)[] values) => new(values.ToDictionary(v => v.Name, v => v.Value));

    public static TheoryData<string> StrategyNames => new() { "random", "tpe", "grow" };

    [Theory]
    [MemberData(nameof(StrategyNames))]
    public void Every_strategy_keeps_an_inactive_parameter_at_the_code_value_and_draws_it_where_it_applies(string name)
    {
        var strategy = Strategies.Create(name);
        var history = new List<SearchTrial>();
        for (var n = 1; n <= 40; n++)
        {
            var next = strategy.Propose(Optimizers, history, StudyHistory.RandomFor(5, n));
            if (next is null) break;
            if ((string)next["Optimizer"] == "adam") next["Momentum"].ShouldBe(0.0, next.ToString());
            history.Add(SearchTrial.Completed(n, next, (double)next["LearningRate"] * 10 + ((string)next["Optimizer"] == "sgd" ? (double)next["Momentum"] : 0), Direction.Maximize));
        }
        if (name != "grow") // grow steps capacity only; it never touches a real range
            history.Where(t => (string)t.Assignment["Optimizer"] == "sgd").Select(t => t.Assignment["Momentum"]).Distinct().Count().ShouldBeGreaterThan(2);
    }

    [Fact]
    public void A_layer_width_applies_only_while_the_number_of_layers_reaches_it()
    {
        var rng = new Random(1);
        for (var i = 0; i < 200; i++)
        {
            var a = Domains.Sample(Layers, rng);
            var layers = (long)a["ConvLayers"];
            if (layers < 2) a["Width2"].ShouldBe(16L);
            if (layers < 3) a["Width3"].ShouldBe(16L);
        }
        Layers.IsActive(Layers["Width3"], Values(("ConvLayers", 3L), ("Width2", 16L), ("Width3", 32L))).ShouldBeTrue();
        Layers.IsActive(Layers["Width3"], Values(("ConvLayers", 2L), ("Width2", 16L), ("Width3", 32L))).ShouldBeFalse();
    }

    [Fact]
    public void A_parameter_whose_parent_is_inactive_is_inactive_too()
    {
        var space = new SearchSpace([
            .. Optimizers.Parameters,
            new Parameter("Nesterov", "bool", new Choice([false, true]), false) { When = new Condition("Momentum", [], AtLeast: 0.5) },
        ]);

        space.IsActive(space["Nesterov"], Values(("Optimizer", "sgd"), ("Momentum", 0.9), ("LearningRate", 1e-3), ("Nesterov", true))).ShouldBeTrue();
        space.IsActive(space["Nesterov"], Values(("Optimizer", "adam"), ("Momentum", 0.9), ("LearningRate", 1e-3), ("Nesterov", true))).ShouldBeFalse();
    }

    [Fact]
    public void Assignments_that_differ_only_in_inactive_parameters_are_one_trial()
    {
        var ran = Values(("Optimizer", "adam"), ("Momentum", 0.0), ("LearningRate", 1e-3));
        List<SearchTrial> history = [SearchTrial.Completed(1, ran, 0.9, Direction.Maximize)];

        history.HasTried(Optimizers, Values(("Optimizer", "adam"), ("Momentum", 0.7), ("LearningRate", 1e-3))).ShouldBeTrue();
        history.HasTried(Optimizers, Values(("Optimizer", "sgd"), ("Momentum", 0.0), ("LearningRate", 1e-3))).ShouldBeFalse();
        Optimizers.Canonical(Values(("Optimizer", "adam"), ("Momentum", 0.7), ("LearningRate", 1e-3))).ShouldBe(ran);
    }

    [Fact]
    public void A_finite_conditional_space_counts_each_trial_once_and_random_search_exhausts_it_without_repeating()
    {
        var space = new SearchSpace([
            new Parameter("Optimizer", "string", new Choice(["adam", "sgd"]), "adam"),
            new Parameter("Momentum", "double", new Choice([0.0, 0.5, 0.9]), 0.0) { When = new Condition("Optimizer", ["sgd"]) },
        ]);
        Domains.Count(space).ShouldBe(4); // adam, and sgd with each momentum

        var history = new List<SearchTrial>();
        for (var n = 1; n <= 4; n++)
        {
            var next = new RandomStrategy().Propose(space, history, StudyHistory.RandomFor(2, n)).ShouldNotBeNull();
            history.HasTried(space, next).ShouldBeFalse(next.ToString());
            history.Add(SearchTrial.Completed(n, next, n, Direction.Maximize));
        }
        new RandomStrategy().Propose(space, history, StudyHistory.RandomFor(2, 5)).ShouldBeNull();
        new TpeStrategy().Propose(space, history, StudyHistory.RandomFor(2, 5)).ShouldBeNull();
    }

    [Fact]
    public void Grow_never_steps_a_width_of_a_layer_the_incumbent_does_not_have()
    {
        var history = new List<SearchTrial>();
        var grow = new GrowStrategy();
        var proposals = new List<Assignment>();
        for (var n = 1; n <= 10 && grow.Propose(Layers, history, new Random(n)) is { } next; n++)
        {
            proposals.Add(next);
            history.Add(SearchTrial.Completed(n, next, n, Direction.Maximize)); // every step improves
        }
        // A layer first, then the widths of the layers that exist: never a width of a missing layer.
        proposals.Select(a => a.ToString()).ShouldBe([
            "ConvLayers=1, Width2=16, Width3=16",
            "ConvLayers=2, Width2=16, Width3=16",
            "ConvLayers=3, Width2=16, Width3=16",
            "ConvLayers=3, Width2=32, Width3=16",
            "ConvLayers=3, Width2=32, Width3=32",
        ]);
    }

    [Fact]
    public void Tpe_learns_a_conditional_parameter_only_from_the_trials_where_it_applied()
    {
        // Two studies that differ only in the Momentum their adam trials recorded (it was inactive there:
        // enqueued by hand, or the code's value changed between them) must lead TPE to the same proposals.
        // Modelled on every trial, the adam trials would pull momentum's density towards what they recorded.
        List<SearchTrial> History(double inactiveMomentum)
        {
            var rng = new Random(7);
            List<SearchTrial> history = [SearchTrial.Completed(0, Optimizers.Current(), 0.5, Direction.Maximize)];
            for (var n = 1; n <= 30; n++)
            {
                var sgd = n % 3 != 0;
                var m = rng.NextDouble() * 0.99;
                var rate = Math.Pow(10, -4 + 3 * rng.NextDouble());
                var value = sgd ? 0.9 - Math.Abs(m - 0.9) : 0.6 + 0.3 * rng.NextDouble();
                history.Add(SearchTrial.Completed(n, Values(("Optimizer", sgd ? "sgd" : "adam"), ("Momentum", sgd ? m : inactiveMomentum), ("LearningRate", rate)), value, Direction.Maximize));
            }
            return history;
        }
        var tpe = new TpeStrategy(new TpeOptions { StartupTrials = 5, LocalEvery = 0, ClimbLimit = 0 });

        var proposals = Enumerable.Range(0, 50).Select(s => tpe.Propose(Optimizers, History(0.0), new Random(s))!.ToString()).ToList();
        var elsewhere = Enumerable.Range(0, 50).Select(s => tpe.Propose(Optimizers, History(0.3), new Random(s))!.ToString()).ToList();

        elsewhere.ShouldBe(proposals);
        proposals.Count(p => p.Contains("sgd")).ShouldBeGreaterThan(10);
    }

    [Fact]
    public void A_changed_condition_is_a_changed_space_and_the_store_keeps_conditions()
    {
        var widened = new SearchSpace([.. Optimizers.Parameters.Select(p => p.Name == "Momentum" ? p with { When = new Condition("Optimizer", ["sgd", "adam"]) } : p)]);

        Optimizers.SearchesLike(widened).ShouldBeFalse();
        Optimizers.SearchesLike(Optimizers with { }).ShouldBeTrue();
        SpaceJson.ReadSpace(SpaceJson.Write(Optimizers)).ShouldBe(Optimizers);
        SpaceJson.ReadSpace(SpaceJson.Write(Layers)).ShouldBe(Layers);
    }
}

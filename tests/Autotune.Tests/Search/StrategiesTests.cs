using Autotune.Search;

namespace Autotune.Tests.Search;

public sealed class StrategiesTests
{
    private static readonly SearchSpace Space = new([
        new Parameter("Layers", "int", new IntRange(1, 8), 2L),
        new Parameter("Filters", "int", new Choice([16L, 32L, 64L]), 32L),
        new Parameter("LearningRate", "double", new RealRange(1e-4, 1e-2, Log: true), 1e-3),
        new Parameter("Pooling", "string", new Choice(["max", "avg"]), "max"),
    ]);

    [Theory]
    [InlineData("tpe")]
    [InlineData("random")]
    [InlineData("grow")]
    public void Every_strategy_starts_with_the_codes_current_values(string name) =>
        Strategies.Create(name).Propose(Space, [], new Random(1)).ShouldBe(Space.Current());

    [Theory]
    [InlineData("tpe")]
    [InlineData("random")]
    [InlineData("grow")]
    public void The_same_seed_and_history_give_the_same_proposals(string name)
    {
        IReadOnlyList<Assignment> Study(int seed)
        {
            var history = new List<SearchTrial>();
            for (var n = 0; n < 20; n++)
            {
                if (Strategies.Create(name).Propose(Space, history, StudyHistory.RandomFor(seed, n)) is not { } next) break;
                var value = -Math.Abs((long)next["Layers"] - 5) - Math.Abs(Math.Log10((double)next["LearningRate"]) + 2.5);
                history.Add(SearchTrial.Completed(n, next, value, Direction.Maximize));
            }
            return history.Select(t => t.Assignment).ToList();
        }

        var first = Study(7);
        first.ShouldBe(Study(7));
        if (name != "grow") first.ShouldNotBe(Study(8)); // grow draws nothing at random
    }

    [Theory]
    [InlineData("tpe", "tpe")]
    [InlineData("Random", "random")]
    [InlineData(" GROW ", "grow")]
    public void A_strategy_is_found_by_its_name_in_any_case(string name, string expected) =>
        Strategies.Create(name).Name.ShouldBe(expected);

    [Fact]
    public void The_default_strategy_is_tpe() => Strategies.Create(Strategies.Default).ShouldBeOfType<TpeStrategy>();

    [Fact]
    public void An_unknown_strategy_name_says_which_names_exist_in_one_line()
    {
        var error = Should.Throw<ArgumentException>(() => Strategies.Create("bayes"));
        error.Message.ShouldBe("Unknown strategy 'bayes': use one of tpe, random, grow.");
    }

    [Fact]
    public void A_resumed_study_draws_the_same_numbers_for_the_same_trial()
    {
        StudyHistory.RandomFor(42, 7).Next().ShouldBe(StudyHistory.RandomFor(42, 7).Next());
        StudyHistory.RandomFor(42, 7).Next().ShouldNotBe(StudyHistory.RandomFor(42, 8).Next());
        StudyHistory.RandomFor(42, 7).Next().ShouldNotBe(StudyHistory.RandomFor(43, 7).Next());
    }
}

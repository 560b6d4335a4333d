using Autotune.Search;

namespace Autotune.Tests.Search;

public sealed class RandomStrategyTests
{
    private static Assignment[] Draws(Domain domain, int count, int seed = 1)
    {
        var space = new SearchSpace([new Parameter("P", "object", domain, Domains.Sample(domain, new Random(0)))]);
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Domains.Sample(space, rng)).ToArray();
    }

    [Fact]
    public void Log_range_draws_stay_in_range_and_spread_evenly_over_the_decades()
    {
        var values = Draws(new RealRange(1e-4, 1, Log: true), 4000).Select(a => (double)a["P"]).ToArray();
        values.ShouldAllBe(v => v >= 1e-4 && v <= 1);
        // Log-uniform: each of the four decades gets about a quarter; uniform would put 90% in the last.
        var perDecade = values.GroupBy(v => Math.Min(3, (int)Math.Floor(Math.Log10(v) + 4))).ToDictionary(g => g.Key, g => g.Count());
        for (var decade = 0; decade < 4; decade++) perDecade[decade].ShouldBeInRange(850, 1150);
    }

    [Fact]
    public void Integer_draws_land_only_on_the_step_and_reach_every_value()
    {
        var values = Draws(new IntRange(4, 64, Step: 4), 2000).Select(a => (long)a["P"]).ToArray();
        values.ShouldAllBe(v => v >= 4 && v <= 64 && (v - 4) % 4 == 0);
        values.Distinct().Count().ShouldBe(16);
    }

    [Fact]
    public void Log_integer_draws_stay_on_the_step_and_favour_small_values()
    {
        var values = Draws(new IntRange(1, 1024, Log: true), 4000).Select(a => (long)a["P"]).ToArray();
        values.ShouldAllBe(v => v >= 1 && v <= 1024);
        // Half the log scale lies below 32: a uniform draw would put 3% there.
        values.Count(v => v <= 32).ShouldBeInRange(1700, 2300);

        var stepped = Draws(new IntRange(8, 512, Step: 8, Log: true), 1000).Select(a => (long)a["P"]).ToArray();
        stepped.ShouldAllBe(v => v >= 8 && v <= 512 && v % 8 == 0);
    }

    [Fact]
    public void Choice_draws_come_only_from_the_list_and_reach_every_entry()
    {
        var values = Draws(new Choice(["max", "avg", 3L, true]), 1000).Select(a => a["P"]).ToArray();
        values.ShouldAllBe(v => v.Equals("max") || v.Equals("avg") || v.Equals(3L) || v.Equals(true));
        values.Distinct().Count().ShouldBe(4);
    }

    [Fact]
    public void Random_search_never_repeats_in_a_finite_space_and_stops_when_it_is_exhausted()
    {
        var space = new SearchSpace([
            new Parameter("Layers", "int", new IntRange(1, 3), 1L),
            new Parameter("Pooling", "string", new Choice(["max", "avg"]), "max"),
        ]);
        var history = new List<SearchTrial>();
        for (var n = 0; n < 6; n++)
        {
            var next = new RandomStrategy().Propose(space, history, StudyHistory.RandomFor(3, n)).ShouldNotBeNull();
            history.HasTried(space, next).ShouldBeFalse();
            history.Add(SearchTrial.Completed(n, next, n, Direction.Maximize));
        }
        new RandomStrategy().Propose(space, history, StudyHistory.RandomFor(3, 6)).ShouldBeNull();
    }

    [Fact]
    public void The_one_value_left_in_a_nearly_exhausted_space_is_found()
    {
        var space = new SearchSpace([
            new Parameter("Units", "int", new IntRange(10, 500, Step: 10), 10L),
            new Parameter("Pooling", "string", new Choice(["max", "avg"]), "max"),
        ]);
        var all = (from units in Enumerable.Range(1, 50) from pooling in new[] { "max", "avg" }
                   select new Assignment(new Dictionary<string, object> { ["Units"] = units * 10L, ["Pooling"] = pooling })).ToList();
        var history = all.Where(a => !(a["Units"].Equals(370L) && a["Pooling"].Equals("avg")))
            .Select((a, n) => SearchTrial.Completed(n, a, n, Direction.Maximize)).ToList();

        var last = new RandomStrategy().Propose(space, history, new Random(1)).ShouldNotBeNull();
        last["Units"].ShouldBe(370L);
        last["Pooling"].ShouldBe("avg");
    }
}

namespace Autotune.Search;

/// <summary>
/// The classic baseline a developer does by hand: start from the code's values and add capacity one
/// step at a time. From the best trial so far (the incumbent) it tries, one parameter at a time in
/// the order the block declares them, the next larger value of each capacity-like parameter
/// (integer ranges, doubling where they span ten times their minimum, and choices of numbers); a
/// change is kept when the metric improved, and the search stops (null) when no single step from
/// the incumbent improves any more. Reals, strings and bools keep the code's values: they are not
/// capacity. TPE climbs with these steps before it models (<see cref="TpeStrategy"/>).
/// </summary>
public sealed class GrowStrategy(double minImprovement = 0) : IStrategy
{
    /// <summary>How much better a step must be to be kept; 0 keeps any strict improvement.</summary>
    public double MinImprovement { get; } = minImprovement;

    public string Name => "grow";

    public Assignment? Propose(SearchSpace space, IReadOnlyList<SearchTrial> history, Random rng)
    {
        if (history.NeedsBaseline(space)) return space.Current();

        var incumbent = Incumbent(space, history);
        foreach (var parameter in space.Parameters)
        {
            // Growing a parameter the incumbent does not use changes nothing it trains.
            if (!space.IsActive(parameter, incumbent)) continue;
            if (!incumbent.Values.TryGetValue(parameter.Name, out var value) || NextLarger(parameter.Domain, value) is not { } next)
                continue;
            var step = space.Canonical(new Assignment(incumbent.Values.ToDictionary(kv => kv.Key, kv => kv.Key == parameter.Name ? next : kv.Value)));
            if (!history.HasTried(space, step)) return step;
        }
        return null;
    }

    /// <summary>
    /// The values to grow from: each completed trial that beats the incumbent of its time by more
    /// than the minimum improvement becomes the new incumbent, in trial order, starting from the baseline.
    /// </summary>
    private Assignment Incumbent(SearchSpace space, IReadOnlyList<SearchTrial> history)
    {
        var direction = history.Direction();
        var incumbent = space.Current();
        double? incumbentScore = null;
        foreach (var trial in history.OrderBy(t => t.Number))
        {
            // An infeasible trial (one that broke a constraint) is never grown from.
            if (trial.State != SearchTrialState.Completed || !trial.Feasible || trial.Objective is not { } value) continue;
            var score = direction.Score(value);
            // Before any result (the baseline failed or was pruned) the first completed step is an improvement.
            if (incumbentScore is not { } best || score > best + MinImprovement)
                (incumbent, incumbentScore) = (trial.Assignment, score);
        }
        return incumbent;
    }

    /// <summary>The next larger value of a capacity-like domain: one step up, or doubling on a log scale or a wide range.</summary>
    internal static object? NextLarger(Domain domain, object value)
    {
        switch (domain)
        {
            case IntRange range when value is long v:
                var step = Math.Max(1, range.Step);
                var up = v + step;
                // On a log scale, or a range that spans ten times its smallest value, one step is nothing
                // for large values (16 -> 17 filters, 10 -> 11 trees); double instead.
                if ((range.Log || (range.Min > 0 && range.Max >= 10 * range.Min)) && v > 0)
                    up = Math.Max(up, range.Min + (long)Math.Ceiling((2.0 * v - range.Min) / step) * step);
                return up <= range.Max ? up : null;
            case Choice choice when choice.Values.All(IsNumber) && IsNumber(value):
                var current = Convert.ToDouble(value);
                return choice.Values.Where(c => Convert.ToDouble(c) > current).OrderBy(Convert.ToDouble).FirstOrDefault();
            default:
                return null;
        }
    }

    private static bool IsNumber(object value) => value is long or int or double or float or decimal;
}

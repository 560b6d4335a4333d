namespace Autotune.Search;

/// <summary>Drawing values uniformly from domains and counting them: what random search is, and what TPE starts with.</summary>
public static class Domains
{
    /// <summary>A uniform draw: log-uniform for Log ranges, only values on the step for integers, only listed choices.</summary>
    public static object Sample(Domain domain, Random rng)
    {
        if (domain is Choice choice)
            return choice.Values.Count == 0
                ? throw new ArgumentException("A choice domain needs at least one value.")
                : choice.Values[rng.Next(choice.Values.Count)];
        var axis = NumericAxis.For(domain)!;
        return axis.FromAxis(axis.Low + rng.NextDouble() * axis.Width);
    }

    /// <summary>A uniform draw for every parameter, in the order the space declares them.</summary>
    public static Assignment Sample(SearchSpace space, Random rng) =>
        new(space.Parameters.ToDictionary(p => p.Name, p => Sample(p.Domain, rng)));

    /// <summary>How many values a domain holds; null for a real range (it never runs out).</summary>
    public static long? Count(Domain domain) => domain switch
    {
        IntRange i => i.Max < i.Min ? 1 : (i.Max - i.Min) / Math.Max(1, i.Step) + 1,
        Choice c => c.Values.Count,
        _ => null,
    };

    /// <summary>How many distinct assignments a space holds; null when it has a real range or is too large to count.</summary>
    public static long? Count(SearchSpace space)
    {
        long total = 1;
        foreach (var p in space.Parameters)
        {
            if (Count(p.Domain) is not { } n) return null;
            try { total = checked(total * n); }
            catch (OverflowException) { return null; }
        }
        return total;
    }

    /// <summary>
    /// True when every assignment of a finite space has been tried (the baseline may lie outside
    /// the space, so count only tried values that are in it).
    /// </summary>
    public static bool IsExhausted(SearchSpace space, IReadOnlyList<SearchTrial> history)
    {
        if (Count(space) is not { } size || size > 100_000) return false;
        var distinct = history.Select(t => t.Assignment)
            .Where(a => space.Parameters.All(p => a.Values.TryGetValue(p.Name, out var v) && p.Domain.Contains(v)))
            .Distinct()
            .Count();
        return distinct >= size;
    }

    /// <summary>
    /// A uniform draw that no trial has run yet, if one turns up within a few attempts; null when the
    /// space is exhausted. For a large space the last draw is returned even if seen (repeats are rare there).
    /// </summary>
    public static Assignment? SampleUntried(SearchSpace space, IReadOnlyList<SearchTrial> history, Random rng, int attempts = 64)
    {
        if (IsExhausted(space, history)) return null;
        Assignment draw = Sample(space, rng);
        for (var i = 1; i < attempts && history.HasTried(draw); i++) draw = Sample(space, rng);
        return draw;
    }
}

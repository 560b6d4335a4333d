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

    /// <summary>
    /// A uniform draw for every parameter, in the order the space declares them; a parameter inactive
    /// under the draw (<see cref="Condition"/>) keeps the code's value.
    /// </summary>
    public static Assignment Sample(SearchSpace space, Random rng) =>
        space.Canonical(new(space.Parameters.ToDictionary(p => p.Name, p => Sample(p.Domain, rng))));

    /// <summary>How many values a domain holds; null for a real range (it never runs out).</summary>
    public static long? Count(Domain domain) => domain switch
    {
        IntRange i => i.Max < i.Min ? 1 : (i.Max - i.Min) / Math.Max(1, i.Step) + 1,
        Choice c => c.Values.Count,
        _ => null,
    };

    /// <summary>
    /// How many distinct assignments a space holds; null when it has a real range or is too large to count.
    /// With conditions, assignments that differ only in inactive parameters count once.
    /// </summary>
    public static long? Count(SearchSpace space)
    {
        if (space.IsConditional)
            return Product(space) is > 0 and <= 100_000 ? Enumerate(space).Select(a => Key(space, a)).Distinct().LongCount() : null;
        return Product(space);
    }

    private static long? Product(SearchSpace space)
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
        if (Count(space) is not { } size || size > history.Count) return false;
        var distinct = history.Select(t => t.Assignment)
            .Where(a => space.Parameters.All(p => a.Values.TryGetValue(p.Name, out var v) && p.Domain.Contains(v)))
            .Select(a => Key(space, a))
            .Distinct()
            .Count();
        return distinct >= size;
    }

    /// <summary>
    /// A uniform draw that no trial has run yet; null when the space is exhausted. A few draws find
    /// one almost always; a small space nearly used up is listed instead, and a large one may repeat
    /// (rarely) rather than be listed.
    /// </summary>
    public static Assignment? SampleUntried(SearchSpace space, IReadOnlyList<SearchTrial> history, Random rng, int attempts = 32)
    {
        if (IsExhausted(space, history)) return null;
        var draw = Sample(space, rng);
        for (var i = 1; i < attempts && history.HasTried(space, draw); i++) draw = Sample(space, rng);
        if (!history.HasTried(space, draw) || Count(space) is not (> 0 and <= 100_000)) return draw;

        var tried = history.Select(t => Key(space, t.Assignment)).ToHashSet();
        var untried = Enumerate(space).Where(a => !tried.Contains(Key(space, a))).DistinctBy(a => Key(space, a)).ToList();
        return untried.Count > 0 ? untried[rng.Next(untried.Count)] : null;
    }

    /// <summary>Every assignment of a finite space, in declaration order.</summary>
    private static IEnumerable<Assignment> Enumerate(SearchSpace space)
    {
        IEnumerable<IEnumerable<object>> combos = [[]];
        foreach (var p in space.Parameters)
        {
            var values = Values(p.Domain).ToList();
            combos = combos.SelectMany(c => values.Select(v => c.Append(v)));
        }
        return combos.Select(c => space.Canonical(new Assignment(space.Parameters.Zip(c).ToDictionary(x => x.First.Name, x => x.Second))));
    }

    private static IEnumerable<object> Values(Domain domain) => domain switch
    {
        IntRange i => Enumerable.Range(0, (int)Count(i)!.Value).Select(k => (object)(i.Min + k * Math.Max(1, i.Step))),
        Choice c => c.Values,
        _ => [],
    };

    /// <summary>A string that is equal exactly when two assignments are one trial (Assignment hashes only by size).</summary>
    private static string Key(SearchSpace space, Assignment assignment)
    {
        assignment = space.Canonical(assignment);
        return string.Join("\u001f", space.Parameters.Select(p => assignment.Values.TryGetValue(p.Name, out var v) ? SearchValue.Format(v) : "\u001e"));
    }
}

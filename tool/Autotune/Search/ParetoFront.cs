namespace Autotune.Search;

/// <summary>
/// One trial as the study's objectives see it: the target's metric (<paramref name="Value"/>) and each secondary
/// objective to minimize, in the order given (<paramref name="Minimized"/>). A secondary metric the trial never
/// reported is +infinity: the trial still counts for the target, and is the worst there.
/// </summary>
public sealed record ParetoPoint(int Number, double Value, IReadOnlyList<double> Minimized)
{
    /// <summary>The point of a trial from its last epoch's metrics; a missing or non-finite secondary metric is the worst.</summary>
    public static ParetoPoint Of(int number, double value, IReadOnlyList<string> minimize, IReadOnlyDictionary<string, double>? metrics) =>
        new(number, value, minimize.Select(m => metrics is not null && metrics.TryGetValue(m, out var v) && double.IsFinite(v) ? v : double.PositiveInfinity).ToList());
}

/// <summary>
/// The trials no other trial beats on every objective at once (the target's metric in its direction, and each
/// secondary objective, lower being better), and the one a study with secondary objectives calls its best.
/// </summary>
public static class ParetoFront
{
    /// <summary>
    /// The points no other point dominates, best target value first (ties by number). Two points equal on every
    /// objective are both on the front: neither is better.
    /// </summary>
    public static IReadOnlyList<ParetoPoint> Of(IReadOnlyList<ParetoPoint> points, Direction direction) =>
        points.Where(p => double.IsFinite(p.Value) && !points.Any(q => double.IsFinite(q.Value) && Dominates(q, p, direction)))
            .OrderByDescending(p => direction.Score(p.Value)).ThenBy(p => p.Number).ToList();

    /// <summary>True when <paramref name="a"/> is at least as good as <paramref name="b"/> on every objective and better on one.</summary>
    public static bool Dominates(ParetoPoint a, ParetoPoint b, Direction direction)
    {
        var better = direction.IsBetter(a.Value, b.Value);
        if (direction.IsBetter(b.Value, a.Value)) return false;
        for (var i = 0; i < a.Minimized.Count; i++)
        {
            if (a.Minimized[i] > b.Minimized[i]) return false;
            better |= a.Minimized[i] < b.Minimized[i];
        }
        return better;
    }

    /// <summary>
    /// The study's best among <paramref name="candidates"/> (its trials that count: completed, with a value, meeting the
    /// constraints): among those that reach <paramref name="target"/>, the lowest by the secondary objectives in the
    /// order given (then by value, then the earlier); when none reaches it, or there are no secondary objectives, the
    /// best value (ties to the earlier). Null for no candidate.
    /// </summary>
    public static ParetoPoint? Pick(IReadOnlyList<ParetoPoint> candidates, Target target)
    {
        var valued = candidates.Where(p => double.IsFinite(p.Value)).ToList();
        var byValue = valued.OrderByDescending(p => target.Direction.Score(p.Value)).ThenBy(p => p.Number);
        var onTarget = valued.Where(p => target.IsReachedBy(p.Value)).ToList();
        if (onTarget.Count == 0 || onTarget.All(p => p.Minimized.Count == 0)) return byValue.FirstOrDefault();
        return onTarget.OrderBy(p => p, Lexicographic)
            .ThenByDescending(p => target.Direction.Score(p.Value)).ThenBy(p => p.Number).First();
    }

    private static readonly Comparer<ParetoPoint> Lexicographic = Comparer<ParetoPoint>.Create((a, b) =>
    {
        for (var i = 0; i < Math.Min(a.Minimized.Count, b.Minimized.Count); i++)
            if (a.Minimized[i].CompareTo(b.Minimized[i]) is var c and not 0) return c;
        return 0;
    });
}

namespace Autotune.Search;

/// <summary>Questions every strategy asks of the trials so far.</summary>
public static class StudyHistory
{
    /// <summary>True until some trial has run the code's current values: the baseline comes first.</summary>
    public static bool NeedsBaseline(this IReadOnlyList<SearchTrial> history, SearchSpace space)
    {
        var current = space.Current();
        return !history.Any(t => t.Assignment.Equals(current));
    }

    /// <summary>True when some trial, in any state, already has these values.</summary>
    public static bool HasTried(this IReadOnlyList<SearchTrial> history, Assignment assignment) =>
        history.Any(t => t.Assignment.Equals(assignment));

    /// <summary>The study's direction; maximize for an empty history (nothing to compare yet).</summary>
    public static Direction Direction(this IReadOnlyList<SearchTrial> history) =>
        history.Count > 0 ? history[0].Direction : Search.Direction.Maximize;

    /// <summary>
    /// The best trial with a result, by the study's direction; completed trials rank above pruned
    /// ones, whose values are from fewer epochs. Ties go to the earlier trial.
    /// </summary>
    public static SearchTrial? Best(this IReadOnlyList<SearchTrial> history) =>
        Ranked(history).FirstOrDefault();

    /// <summary>
    /// The trials with a result, best first: completed by value, then pruned by how far they got
    /// and then by value. Ties keep the order of trial numbers, so the ranking is deterministic.
    /// </summary>
    public static IReadOnlyList<SearchTrial> Ranked(this IReadOnlyList<SearchTrial> history)
    {
        var direction = history.Direction();
        return history
            .Where(t => t.Objective is not null)
            .OrderBy(t => t.State == SearchTrialState.Completed ? 0 : 1)
            .ThenByDescending(t => t.State == SearchTrialState.Completed ? 0 : t.EpochsDone)
            .ThenByDescending(t => direction.Score(t.Objective!.Value))
            .ThenBy(t => t.Number)
            .ToList();
    }

    /// <summary>
    /// A random source for proposing trial <paramref name="trialNumber"/> of a study seeded with
    /// <paramref name="seed"/>: it depends on nothing else, so a resumed study draws the same numbers.
    /// </summary>
    public static Random RandomFor(int seed, int trialNumber)
    {
        // SplitMix64 finaliser: neighbouring (seed, number) pairs get unrelated streams.
        var z = ((ulong)(uint)seed << 32 | (uint)trialNumber) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return new Random(unchecked((int)z));
    }
}

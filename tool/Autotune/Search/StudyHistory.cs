namespace Autotune.Search;

/// <summary>Questions every strategy asks of the trials so far.</summary>
public static class StudyHistory
{
    /// <summary>True until some trial has run the code's current values: the baseline comes first.</summary>
    public static bool NeedsBaseline(this IReadOnlyList<SearchTrial> history, SearchSpace space)
    {
        var current = space.Current();
        return !history.Any(t => space.SameTrial(t.Assignment, current));
    }

    /// <summary>
    /// True when some trial, in any state, already has these values; values that differ only in
    /// parameters inactive under them (<see cref="SearchSpace.Canonical"/>) are the same trial.
    /// </summary>
    public static bool HasTried(this IReadOnlyList<SearchTrial> history, SearchSpace space, Assignment assignment)
    {
        var canonical = space.Canonical(assignment);
        return history.Any(t => space.Canonical(t.Assignment).Equals(canonical));
    }

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
    /// Completed trials whose values lie within <see cref="TieSigmas"/> times the metric's noise of
    /// each other (<see cref="MetricNoise"/>) are told apart by their <see cref="SearchTrial.Companion"/>
    /// (the program's loss) where they have one: a study whose trials all sit at chance then still
    /// knows which ones are closest to learning, instead of ranking them on noise.
    /// Infeasible trials (<see cref="SearchTrial.Feasible"/>) come after every feasible one, ranked the same way among
    /// themselves, so a strategy learns from them as its worst trials.
    /// </summary>
    public static IReadOnlyList<SearchTrial> Ranked(this IReadOnlyList<SearchTrial> history) =>
        [.. RankedAmong(history.Where(t => t.Feasible).ToList(), history), .. RankedAmong(history.Where(t => !t.Feasible).ToList(), history)];

    private static IEnumerable<SearchTrial> RankedAmong(IReadOnlyList<SearchTrial> trials, IReadOnlyList<SearchTrial> history)
    {
        var direction = history.Direction();
        var completed = trials
            .Where(t => t.State == SearchTrialState.Completed && t.Objective is not null)
            .OrderByDescending(t => direction.Score(t.Objective!.Value))
            .ThenBy(t => t.Number)
            .ToList();
        var pruned = trials
            .Where(t => t.State != SearchTrialState.Completed && t.Objective is not null)
            .OrderByDescending(t => t.EpochsDone)
            .ThenByDescending(t => direction.Score(t.Objective!.Value))
            .ThenBy(t => t.Number);
        return [.. BreakTiesByCompanion(completed, history), .. pruned];
    }

    /// <summary>Values closer than this many noise deviations are one tie (two noisy values differ by 1.4 deviations typically).</summary>
    public const double TieSigmas = 3;

    // Greedy from the best down: each group holds the trials within the tie of its first one, and is
    // ordered by companion (trials without one last, by value). Without companions or noise, unchanged.
    private static List<SearchTrial> BreakTiesByCompanion(List<SearchTrial> completed, IReadOnlyList<SearchTrial> history)
    {
        if (completed.Count(t => t.Companion is { } c && double.IsFinite(c)) < 2) return completed;
        var tie = TieSigmas * MetricNoise.Sigma(history.Where(t => t.Objective is not null).Select(t => t.EpochValues));
        if (!(tie > 0)) return completed;
        var direction = history.Direction();
        var ranked = new List<SearchTrial>(completed.Count);
        for (var i = 0; i < completed.Count;)
        {
            var lead = direction.Score(completed[i].Objective!.Value);
            var j = i;
            while (j < completed.Count && lead - direction.Score(completed[j].Objective!.Value) <= tie) j++;
            ranked.AddRange(completed.Skip(i).Take(j - i)
                .OrderBy(t => t.Companion is { } c && double.IsFinite(c) ? 0 : 1)
                .ThenBy(t => t.Companion is { } c && double.IsFinite(c) ? c : 0));
            i = j;
        }
        return ranked;
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

using Autotune.Search;

namespace Autotune.Study;

/// <summary>Whether a stored trial meets the study's constraints, read at its last recorded epoch.</summary>
public static class TrialFeasibility
{
    /// <summary>
    /// What each constraint the trial broke says ("params 412000 > 200000"); empty when it meets them all, and
    /// for a trial with no epoch yet (nothing to judge, and nothing for a strategy to rank either).
    /// </summary>
    public static IReadOnlyList<string> Broken(this StoredTrial trial, IReadOnlyList<Constraint> constraints) =>
        constraints.Count == 0 || trial.Metrics.Count == 0 ? [] : constraints.BrokenBy(trial.Metrics[trial.Metrics.Keys.Max()]);

    public static bool IsFeasible(this StoredTrial trial, IReadOnlyList<Constraint> constraints) => trial.Broken(constraints).Count == 0;
}

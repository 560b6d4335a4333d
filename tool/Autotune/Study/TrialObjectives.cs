using Autotune.Search;

namespace Autotune.Study;

/// <summary>The stored trials as the study's objectives see them: the Pareto front, and the trial a study calls its best.</summary>
public static class TrialObjectives
{
    /// <summary>The trials that count for the front and the best: completed, with a finite value, meeting every constraint.</summary>
    public static IReadOnlyList<ParetoPoint> Points(IReadOnlyList<StoredTrial> trials, IReadOnlyList<Constraint> constraints, IReadOnlyList<string> minimize) =>
        trials.Where(t => t.State == TrialState.Completed && t.Value is { } v && double.IsFinite(v) && t.IsFeasible(constraints))
            .Select(t => ParetoPoint.Of(t.Number, t.Value!.Value, minimize, t.LastMetrics())).ToList();

    /// <summary>The numbers of the trials on the Pareto front over the target's metric and <paramref name="minimize"/>, best value first.</summary>
    public static IReadOnlyList<int> Front(IReadOnlyList<StoredTrial> trials, Target target, IReadOnlyList<Constraint> constraints, IReadOnlyList<string> minimize) =>
        ParetoFront.Of(Points(trials, constraints, minimize), target.Direction).Select(p => p.Number).ToList();

    /// <summary>The study's best trial (<see cref="ParetoFront.Pick"/>) among those that count, or null.</summary>
    public static StoredTrial? Best(IReadOnlyList<StoredTrial> trials, Target target, IReadOnlyList<Constraint> constraints, IReadOnlyList<string> minimize) =>
        ParetoFront.Pick(Points(trials, constraints, minimize), target) is { } best ? trials.First(t => t.Number == best.Number) : null;

    /// <summary>Every metric of the trial's last recorded epoch; null before its first.</summary>
    public static IReadOnlyDictionary<string, double>? LastMetrics(this StoredTrial trial) =>
        trial.Metrics.Count == 0 ? null : trial.Metrics[trial.Metrics.Keys.Max()];
}

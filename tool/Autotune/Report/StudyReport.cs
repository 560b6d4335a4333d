using Autotune.Search;
using Autotune.Study;

namespace Autotune.Report;

/// <summary>How a study ended, from the developer's point of view.</summary>
public enum ReportOutcome
{
    /// <summary>The best trial meets the target.</summary>
    Reached,
    /// <summary>Trials produced values, none meets the target.</summary>
    Missed,
    /// <summary>Trials produced values, but every one broke a constraint of the study.</summary>
    Infeasible,
    /// <summary>Trials ran, none produced a value (all failed, or none finished).</summary>
    Failed,
    /// <summary>The study has no trials yet.</summary>
    Empty,
}

/// <summary>One trial as the report shows it: the study's metric per epoch, plus every metric of its last epoch.</summary>
public sealed record ReportTrial(
    int Number, TrialState State, double? Value, int Epochs, int Restarts, string? Error,
    IReadOnlyList<KeyValuePair<string, object>> Values,
    IReadOnlyList<(int Epoch, double Value)> Curve,
    IReadOnlyDictionary<string, double> FinalMetrics,
    bool ReachesTarget)
{
    /// <summary>What the trial broke at its last epoch ("params 412000 > 200000"); empty when it meets the study's constraints.</summary>
    public IReadOnlyList<string> Broken { get; init; } = [];

    public bool Feasible => Broken.Count == 0;

    /// <summary>True when no other trial beats this one on the target's metric and every secondary objective at once.</summary>
    public bool OnFront { get; init; }

    /// <summary>
    /// For the best trial: the values `run` and `apply` write for it, its epoch count the one its value was measured at
    /// (<see cref="Tune.LongTrials.AsMeasured"/>); null for the others.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, object>>? Written { get; init; }
}

/// <summary>
/// Everything the report, the JSON summary and the mail say about a study, computed once from the
/// store so that the three can never disagree.
/// </summary>
public sealed record StudyReport(
    string Study, string Model, Target Target, string Strategy, int Seed, ReportOutcome Outcome,
    ReportTrial? Best, IReadOnlyList<ReportTrial> Trials, IReadOnlyList<double?> BestSoFar, DateTimeOffset Generated,
    ParameterImportance Importance, SourceChange? Change = null, IReadOnlyList<Constraint>? Constraints = null,
    IReadOnlyList<string>? Minimize = null)
{
    /// <summary>The study's constraints ("params&lt;=200000"); the best trial is the best of those that meet them.</summary>
    public IReadOnlyList<Constraint> ConstraintList => Constraints ?? [];

    /// <summary>The study's secondary objectives, metrics to minimize in order (`--minimize params`): they pick the best among the trials on target.</summary>
    public IReadOnlyList<string> MinimizeList => Minimize ?? [];

    /// <summary>The trials on the Pareto front over the target's metric and <see cref="MinimizeList"/>, best value first; shown only for a study with secondary objectives.</summary>
    public IReadOnlyList<ReportTrial> Front => [.. Trials.Where(t => t.OnFront).OrderByDescending(t => Target.Direction.Score(t.Value!.Value)).ThenBy(t => t.Number)];

    public bool IsSuccess => Outcome == ReportOutcome.Reached;

    public int CountIn(TrialState state) => Trials.Count(t => t.State == state);

    /// <summary>"mnist-cnn reached accuracy 0.9931 (target accuracy>=0.99) in 14 trials": the mail's subject and the command's summary.</summary>
    public string Headline()
    {
        var trials = Trials.Count == 1 ? "1 trial" : $"{Trials.Count} trials";
        return Outcome switch
        {
            ReportOutcome.Reached => $"{Study} reached {Target.Metric} {ReportFormat.Number(Best!.Value)} (target {Target}) in {trials}",
            ReportOutcome.Missed => $"{Study} did not reach {Target} in {trials}: best {Target.Metric} {ReportFormat.Number(Best!.Value, Target)}",
            ReportOutcome.Infeasible => $"{Study} did not reach {Target}: none of {trials} met the constraint(s) {ConstraintList.Describe()}",
            ReportOutcome.Failed => $"{Study} did not reach {Target}: none of {trials} produced a value for {Target.Metric}",
            _ => $"{Study} has no trials yet (target {Target})",
        };
    }

    /// <param name="change">What the best values change in the model's source (written or pending), shown as a diff.</param>
    public static StudyReport From(StudyInfo study, IReadOnlyList<StoredTrial> stored, DateTimeOffset generated, SourceChange? change = null)
    {
        Target target;
        try { target = Target.Parse(study.Target); }
        catch (ArgumentException e) { throw Cli.AutotuneException.Invalid($"study {study.Name} has an unreadable target: {e.Message}"); }

        var constraints = StudyConstraints.Of(study);
        var minimize = StudyObjectives.Of(study);
        var front = TrialObjectives.Front(stored, target, constraints, minimize).ToHashSet();
        var trials = stored.OrderBy(t => t.Number).Select(t => ToReportTrial(t, target, constraints) with { OnFront = front.Contains(t.Number) }).ToList();
        ReportTrial? leader = null;
        var bestSoFar = new List<double?>();
        foreach (var t in trials)
        {
            if (t.Feasible && t.Value is { } v && double.IsFinite(v) && (leader is null || target.Direction.IsBetter(v, leader.Value!.Value))) leader = t;
            bestSoFar.Add(leader?.Value);
        }
        // The best is the one run picks: with secondary objectives, the lowest by them of the trials on target.
        var candidates = trials.Where(t => t.Feasible && t.Value is { } v && double.IsFinite(v))
            .Select(t => ParetoPoint.Of(t.Number, t.Value!.Value, minimize, t.FinalMetrics)).ToList();
        var best = ParetoFront.Pick(candidates, target) is { } pick ? trials.First(t => t.Number == pick.Number) : null;
        if (best is not null)
            best = best with { Written = Tune.LongTrials.AsMeasured(stored.First(s => s.Number == best.Number), study.Space, target.Metric).Values.ToList() };
        var outcome = trials.Count == 0 ? ReportOutcome.Empty
            : best is null ? trials.Any(t => t.Value is { } v && double.IsFinite(v)) ? ReportOutcome.Infeasible : ReportOutcome.Failed
            : target.IsReachedBy(best.Value!.Value) ? ReportOutcome.Reached
            : ReportOutcome.Missed;
        return new StudyReport(study.Name, study.Model, target, study.Strategy, study.Seed, outcome, best, trials, bestSoFar, generated,
            ImportanceOf(study, stored, target), change, constraints, minimize);
    }

    /// <summary>
    /// Which parameters mattered, from the study's completed trials as the strategies see them: the
    /// report and `trials --json` both ask here, so they cannot disagree.
    /// </summary>
    public static ParameterImportance ImportanceOf(StudyInfo study, IReadOnlyList<StoredTrial> stored, Target target) =>
        ParameterImportance.Of(study.Space, stored.Select(t => Tune.StudyEngine.ToSearch(t, target)).ToList());

    private static ReportTrial ToReportTrial(StoredTrial t, Target target, IReadOnlyList<Constraint> constraints)
    {
        var curve = t.Metrics.OrderBy(kv => kv.Key)
            .Where(kv => kv.Value.TryGetValue(target.Metric, out var m) && double.IsFinite(m))
            .Select(kv => (kv.Key, kv.Value[target.Metric])).ToList();
        var final = t.Metrics.Count == 0 ? new Dictionary<string, double>()
            : t.Metrics.MaxBy(kv => kv.Key).Value.ToDictionary(kv => kv.Key, kv => kv.Value);
        return new ReportTrial(t.Number, t.State, t.Value, t.Epochs, t.Restarts, t.Error,
            t.Values.Values.ToList(), curve, final, t.Value is { } v && target.IsReachedBy(v)) { Broken = t.Broken(constraints) };
    }
}

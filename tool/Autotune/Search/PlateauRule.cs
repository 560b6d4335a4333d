namespace Autotune.Search;

/// <summary>
/// Stops a trial whose metric has not beaten its earlier best by more than <paramref name="MinDelta"/>
/// for <paramref name="Patience"/> epochs in a row, or for half the epochs it has trained when that is
/// more: more epochs would spend budget for nothing. A trial that has not improved on its first epoch at
/// all is not on a plateau but not learning yet (a spiral's accuracy sits at chance for epochs before it
/// climbs): whether it is worth going on is ASHA's call, against the other trials, not this rule's.
/// Nor has a trial whose gain since its first epoch is within twice the spread of the epochs judged: that
/// is a metric wandering around where it started (chance, for the spirals), not a climb that levelled off;
/// nor one whose gain is within <see cref="StudyHistory.TieSigmas"/> times the metric's noise as the study's
/// other trials show it (<see cref="MetricNoise"/>): a lucky early epoch in a short trial is not a climb.
/// Nor has a trial whose held-out loss, where the program reports one, still falls: within the patience it
/// reached a new low by more than <see cref="LossFall"/> of its value, so the model is still learning
/// what the target's metric has not shown yet.
/// </summary>
public sealed record PlateauRule(int Patience, double MinDelta = 0)
{
    /// <summary>The share of its value a held-out loss must fall by within the patience for the trial to go on.</summary>
    public const double LossFall = 0.01;

    public TrialDecision Decide(IReadOnlyList<double> epochValues, Direction direction, IReadOnlyList<double>? heldOutLoss = null, double noise = 0)
    {
        var patience = Math.Max(Patience, epochValues.Count / 2);
        if (Patience < 1 || epochValues.Count <= patience) return TrialDecision.Continue;
        var finite = epochValues.Where(double.IsFinite).Select(v => direction.Score(v)).ToList();
        if (finite.Count == 0 || !finite.Skip(1).Any(v => v > finite[0] + MinDelta)) return TrialDecision.Continue;
        var before = epochValues.Take(epochValues.Count - patience).Where(double.IsFinite).ToList();
        if (before.Count == 0) return TrialDecision.Continue;
        var best = before.Max(v => direction.Score(v));
        var window = epochValues.Skip(epochValues.Count - patience).Where(double.IsFinite).Select(v => direction.Score(v)).ToList();
        if (window.Any(v => v > best + MinDelta)) return TrialDecision.Continue;
        var gain = Math.Max(best, window.DefaultIfEmpty(best).Max()) - finite[0];
        var spread = window.Count > 0 ? window.Max() - window.Min() : 0;
        if (gain <= Math.Max(2 * spread, StudyHistory.TieSigmas * noise) || StillFalling(heldOutLoss, epochValues.Count, patience)) return TrialDecision.Continue;
        return TrialDecision.Stop;
    }

    private static bool StillFalling(IReadOnlyList<double>? loss, int epochs, int patience)
    {
        if (loss is null || loss.Count < epochs) return false;
        var before = loss.Take(epochs - patience).Where(double.IsFinite).ToList();
        var window = loss.Skip(epochs - patience).Take(patience).Where(double.IsFinite).ToList();
        if (before.Count == 0 || window.Count == 0) return false;
        var low = before.Min();
        return window.Min() < low - LossFall * Math.Abs(low);
    }
}

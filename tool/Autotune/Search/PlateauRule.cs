namespace Autotune.Search;

/// <summary>
/// Stops a trial whose metric has not beaten its earlier best by more than <paramref name="MinDelta"/>
/// for <paramref name="Patience"/> epochs in a row, or for half the epochs it has trained when that is
/// more: more epochs would spend budget for nothing. A trial that has not improved on its first epoch at
/// all is not on a plateau but not learning yet (a spiral's accuracy sits at chance for epochs before it
/// climbs): whether it is worth going on is ASHA's call, against the other trials, not this rule's.
/// Nor has a trial whose gain since its first epoch is within twice the spread of the epochs judged: that
/// is a metric wandering around where it started (chance, for the spirals), not a climb that levelled off.
/// </summary>
public sealed record PlateauRule(int Patience, double MinDelta = 0)
{
    public TrialDecision Decide(IReadOnlyList<double> epochValues, Direction direction)
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
        return gain > 2 * spread ? TrialDecision.Stop : TrialDecision.Continue;
    }
}

namespace Autotune.Search;

/// <summary>
/// Stops a trial whose metric has not beaten its earlier best by more than <paramref name="MinDelta"/>
/// for <paramref name="Patience"/> epochs in a row, or for half the epochs it has trained when that is
/// more: more epochs would spend budget for nothing. A trial that has not improved on its first epoch at
/// all is not on a plateau but not learning yet (a spiral's accuracy sits at chance for epochs before it
/// climbs): whether it is worth going on is ASHA's call, against the other trials, not this rule's.
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
        var improved = epochValues.Skip(epochValues.Count - patience)
            .Any(v => double.IsFinite(v) && direction.Score(v) > best + MinDelta);
        return improved ? TrialDecision.Continue : TrialDecision.Stop;
    }
}

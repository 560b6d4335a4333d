namespace Autotune.Search;

/// <summary>
/// Stops a trial whose metric has not beaten its earlier best by more than <paramref name="MinDelta"/>
/// for <paramref name="Patience"/> epochs in a row: more epochs would spend budget for nothing.
/// </summary>
public sealed record PlateauRule(int Patience, double MinDelta = 0)
{
    public TrialDecision Decide(IReadOnlyList<double> epochValues, Direction direction)
    {
        if (Patience < 1 || epochValues.Count <= Patience) return TrialDecision.Continue;
        var before = epochValues.Take(epochValues.Count - Patience).Where(double.IsFinite).ToList();
        if (before.Count == 0) return TrialDecision.Continue;
        var best = before.Max(v => direction.Score(v));
        var improved = epochValues.Skip(epochValues.Count - Patience)
            .Any(v => double.IsFinite(v) && direction.Score(v) > best + MinDelta);
        return improved ? TrialDecision.Continue : TrialDecision.Stop;
    }
}

namespace Autotune.Search;

/// <summary>What a scheduler says about a running trial after an epoch.</summary>
public enum TrialDecision
{
    /// <summary>Keep training (at a rung: promoted to the next one).</summary>
    Continue,
    /// <summary>Stop now: the trial is pruned, its checkpoint kept in case it is promoted later.</summary>
    Stop,
}

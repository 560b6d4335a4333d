namespace Autotune.Study;

/// <summary>Where a trial is in its life. Stored by name, so the names are part of the store's schema.</summary>
public enum TrialState
{
    Queued,
    Running,
    Completed,
    Pruned,
    Failed,
}

public static class TrialStates
{
    public static string Name(this TrialState s) => s.ToString().ToLowerInvariant();

    public static TrialState Parse(string s) => Enum.Parse<TrialState>(s, ignoreCase: true);

    /// <summary>Completed and pruned trials have a result; failed ones count against the budget only.</summary>
    public static bool IsFinished(this TrialState s) => s is TrialState.Completed or TrialState.Pruned or TrialState.Failed;
}

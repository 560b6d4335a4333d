namespace Autotune.Search;

/// <summary>
/// Where a trial stands, as strategies see it. A trial the store has queued but not started counts
/// as Running here: it has been proposed and has no result yet.
/// </summary>
public enum TrialState { Running, Completed, Pruned, Failed }

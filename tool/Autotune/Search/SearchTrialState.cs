namespace Autotune.Search;

/// <summary>
/// Where a trial stands, as strategies see it. A trial the store has queued but not started counts
/// as Running here: it has been proposed and has no result yet. (Apart from the store's TrialState,
/// which Search must not know, and with no Queued.)
/// </summary>
public enum SearchTrialState { Running, Completed, Pruned, Failed }

namespace Autotune.Study;

/// <summary>
/// The best values' change to the user's source, as a unified diff: written already (by `run`'s
/// apply or by `apply`), or waiting for `apply --best` (a lifted block, which `run` never writes).
/// Kept as a study event, so a report made later from the store still shows it.
/// </summary>
public sealed record SourceChange(string Diff, bool Written)
{
    /// <summary>Event kind: the diff was written into the user's files.</summary>
    public const string Applied = "applied";

    /// <summary>Event kind: the diff `apply --best` would write.</summary>
    public const string Pending = "apply-pending";

    /// <summary>The study's latest change, from its events; null when none was made or planned.</summary>
    public static SourceChange? Latest(IEnumerable<(DateTime Time, int? Trial, string Kind, string Message)> events) =>
        events.LastOrDefault(e => e.Kind is Applied or Pending) is { Kind: not null } e ? new SourceChange(e.Message, e.Kind == Applied) : null;
}

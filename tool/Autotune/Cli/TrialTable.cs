using System.Globalization;
using Autotune.Report;
using Autotune.Search;
using Autotune.Study;

namespace Autotune.Cli;

/// <summary>The trials of a study as a plain-text table, for `run` and `trials`.</summary>
public static class TrialTable
{
    /// <remarks>With <paramref name="constraints"/>, a column says whether each trial met them, or what it broke ("infeasible: params 412000 > 200000").</remarks>
    /// <remarks>With <paramref name="minimize"/>, a column per secondary objective (its value at the last epoch) and one that marks the Pareto front.</remarks>
    public static void Write(TextWriter output, IReadOnlyList<StoredTrial> trials, Target? target, IReadOnlyList<Constraint>? constraints = null,
        IReadOnlyList<string>? minimize = null)
    {
        var constrained = constraints is { Count: > 0 };
        var secondary = minimize ?? [];
        var front = secondary.Count > 0 && target is not null ? TrialObjectives.Front(trials, target, constraints ?? [], secondary).ToHashSet() : [];
        string[] header = ["trial", "state", target?.Metric ?? "value", .. secondary, .. secondary.Count > 0 ? ["front"] : Array.Empty<string>(),
            "epochs", "restarts", .. constrained ? ["constraints"] : Array.Empty<string>(), "values"];
        var rows = trials.Select(t => (string[])
        [
            t.Number.ToString(CultureInfo.InvariantCulture), t.State.Name(),
            ReportFormat.Number(t.Value, target),
            .. secondary.Select(m => t.LastMetrics() is { } last && last.TryGetValue(m, out var v) ? ReportFormat.Number(v) : "-"),
            .. secondary.Count > 0 ? [front.Contains(t.Number) ? "*" : ""] : Array.Empty<string>(),
            t.Epochs.ToString(CultureInfo.InvariantCulture), t.Restarts.ToString(CultureInfo.InvariantCulture),
            .. constrained ? [Feasibility(t, constraints!)] : Array.Empty<string>(),
            t.Values.ToString(),
        ]).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(Line(header));
        foreach (var r in rows) output.WriteLine(Line(r));
    }

    /// <summary>"met", "infeasible: params 412000 > 200000", or "-" for a trial with no epoch to judge.</summary>
    public static string Feasibility(StoredTrial trial, IReadOnlyList<Constraint> constraints) =>
        trial.Metrics.Count == 0 ? "-" : trial.Broken(constraints) is { Count: > 0 } broken ? "infeasible: " + string.Join(", ", broken) : "met";
}

using System.Globalization;
using Autotune.Report;
using Autotune.Search;
using Autotune.Study;

namespace Autotune.Cli;

/// <summary>The trials of a study as a plain-text table, for `run` and `trials`.</summary>
public static class TrialTable
{
    public static void Write(TextWriter output, IReadOnlyList<StoredTrial> trials, Target? target)
    {
        var header = new[] { "trial", "state", target?.Metric ?? "value", "epochs", "restarts", "values" };
        var rows = trials.Select(t => new[]
        {
            t.Number.ToString(CultureInfo.InvariantCulture), t.State.Name(),
            ReportFormat.Number(t.Value, target),
            t.Epochs.ToString(CultureInfo.InvariantCulture), t.Restarts.ToString(CultureInfo.InvariantCulture), t.Values.ToString(),
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(Line(header));
        foreach (var r in rows) output.WriteLine(Line(r));
    }
}

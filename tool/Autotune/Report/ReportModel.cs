using System.Net;
using Autotune.Search;
using Autotune.Study;
using Scriban.Runtime;

namespace Autotune.Report;

/// <summary>Where the HTML finds the charts: file names beside report.html, or "cid:..." in a mail; Importance and Pareto are null when there is no such chart.</summary>
public sealed record ChartSources(string Trials, string Epochs, string? Importance = null, string? Pareto = null)
{
    public static readonly ChartSources Files = new(ReportCharts.TrialsFile, ReportCharts.EpochsFile, ReportCharts.ImportanceFile, ReportCharts.ParetoFile);
}

/// <summary>
/// The variables a report template sees. For HTML every string is escaped here, once, so that a
/// template (a repository's own included) cannot forget to: study names, parameter values and error
/// messages come from code and programs and may hold markup.
/// </summary>
public static class ReportModel
{
    public static ScriptObject Build(StudyReport report, bool html, ChartSources charts, bool mail)
    {
        string S(string? text) => html ? WebUtility.HtmlEncode(text ?? "") : text ?? "";
        string? Maybe(string? text) => text is null ? null : S(text);

        var model = new ScriptObject
        {
            ["study"] = S(report.Study),
            ["model"] = S(report.Model),
            ["target"] = S(report.Target.ToString()),
            ["constraints"] = S(report.ConstraintList.Describe()),
            ["metric"] = S(report.Target.Metric),
            ["direction"] = report.Target.Direction == Direction.Maximize ? "maximize" : "minimize",
            ["strategy"] = S(report.Strategy),
            ["seed"] = report.Seed,
            ["outcome"] = ReportFormat.Outcome(report.Outcome),
            ["success"] = report.IsSuccess,
            ["headline"] = S(report.Headline()),
            ["generated"] = report.Generated.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
            ["mail"] = mail,
            ["charts"] = new ScriptObject { ["trials"] = S(charts.Trials), ["epochs"] = S(charts.Epochs), ["importance"] = Maybe(charts.Importance), ["pareto"] = Maybe(charts.Pareto) },
            ["minimize"] = S(string.Join(", ", report.MinimizeList)),
        };
        var counts = new ScriptObject { ["trials"] = report.Trials.Count };
        foreach (var state in Enum.GetValues<TrialState>()) counts[state.Name()] = report.CountIn(state);
        model["counts"] = counts;

        // A secondary objective's value at the trial's last epoch, "-" where the program never reported it.
        static string Secondary(ReportTrial t, string metric) => t.FinalMetrics.TryGetValue(metric, out var v) ? ReportFormat.Number(v) : "-";

        ScriptObject Trial(ReportTrial t)
        {
            var values = new ScriptArray();
            var written = t.Written?.ToDictionary(kv => kv.Key, kv => kv.Value);
            foreach (var (name, value) in t.Values)
            {
                // The best trial shows what is written for it; where that differs (epochs stopped early), what it planned too.
                var shown = ReportFormat.Value(value);
                if (written is not null && written.TryGetValue(name, out var w) && !Equals(w, value)) shown = $"{ReportFormat.Value(w)} (measured there; {shown} planned)";
                values.Add(new ScriptObject { ["name"] = S(name), ["value"] = S(shown) });
            }
            var metrics = new ScriptArray();
            foreach (var (name, value) in t.FinalMetrics.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                metrics.Add(new ScriptObject { ["name"] = S(name), ["value"] = ReportFormat.Number(value) });
            return new ScriptObject
            {
                ["number"] = t.Number,
                ["state"] = t.State.Name(),
                ["value"] = ReportFormat.Number(t.Value),
                ["reaches_target"] = t.ReachesTarget,
                ["infeasible"] = Maybe(t.Feasible ? null : "infeasible: " + string.Join(", ", t.Broken)),
                ["is_best"] = report.Best is { } b && b.Number == t.Number,
                ["on_front"] = t.OnFront,
                ["secondary_text"] = S(string.Join(", ", report.MinimizeList.Select(m => $"{m} {Secondary(t, m)}"))),
                ["secondary"] = new ScriptArray(report.MinimizeList.Select(m => Secondary(t, m))),
                ["epochs"] = t.Epochs,
                ["restarts"] = t.Restarts,
                ["error"] = Maybe(t.Error),
                ["values"] = values,
                ["values_text"] = S(string.Join(", ", t.Values.Select(kv => $"{kv.Key}={ReportFormat.Value(kv.Value)}"))),
                ["final_metrics"] = metrics,
            };
        }

        var importance = report.Importance;
        var shares = new ScriptArray();
        foreach (var (share, rank) in importance.Shares.Select((s, i) => (s, i + 1)))
            shares.Add(new ScriptObject { ["rank"] = rank, ["name"] = S(share.Parameter), ["share"] = ReportFormat.Percent(share.Share) });
        model["importance"] = new ScriptObject
        {
            ["known"] = importance.IsKnown,
            ["reason"] = Maybe(importance.Reason),
            ["trials"] = importance.Trials,
            ["needed"] = importance.Needed,
            ["shares"] = shares,
            ["chart_height"] = ReportCharts.ImportanceHeight(importance.Shares.Count),
        };

        // The front of a study with secondary objectives; null for one without, whose templates then say nothing of it.
        var front = new ScriptArray();
        foreach (var t in report.Front) front.Add(Trial(t));
        model["pareto"] = report.MinimizeList.Count > 0
            ? new ScriptObject { ["objectives"] = S(string.Join(", ", report.MinimizeList.Prepend(report.Target.Metric))), ["x"] = S(report.MinimizeList[0]),
                ["metrics"] = new ScriptArray(report.MinimizeList.Select(S)), ["front"] = front }
            : null;

        model["change"] = report.Change is { } change
            ? new ScriptObject { ["diff"] = S(change.Diff), ["written"] = change.Written }
            : null;
        model["best"] = report.Best is { } best ? Trial(best) : null;
        var trials = new ScriptArray();
        foreach (var t in report.Trials) trials.Add(Trial(t));
        model["trials"] = trials;
        return model;
    }
}

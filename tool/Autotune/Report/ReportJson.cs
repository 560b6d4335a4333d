using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Autotune.Search;
using Autotune.Study;

namespace Autotune.Report;

/// <summary>
/// report.json, schema <c>autotune.report/1</c> (docs/report-schema.md). Written by hand with a
/// Utf8JsonWriter so the property order is fixed and the golden test can pin it byte for byte.
/// </summary>
public static class ReportJson
{
    public const string Schema = "autotune.report/1";

    public static string Write(StudyReport report)
    {
        using var stream = new MemoryStream();
        // Relaxed escaping keeps '<' and '>' readable; the file is never embedded in HTML.
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("study", report.Study);
            w.WriteString("model", report.Model);
            w.WriteString("generated", report.Generated.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            w.WriteStartObject("target");
            w.WriteString("text", report.Target.ToString());
            w.WriteString("metric", report.Target.Metric);
            w.WriteString("comparison", Symbol(report.Target.Comparison));
            w.WriteNumber("value", report.Target.Value);
            w.WriteString("direction", report.Target.Direction == Direction.Maximize ? "maximize" : "minimize");
            w.WriteEndObject();
            // Only a study with constraints says so: the report of one without them stays as it was.
            var constrained = report.ConstraintList.Count > 0;
            if (constrained)
            {
                w.WriteStartArray("constraints");
                foreach (var c in report.ConstraintList) w.WriteStringValue(c.ToString());
                w.WriteEndArray();
            }
            // Likewise only a study with secondary objectives names them, and has a Pareto front and its chart.
            var pareto = report.MinimizeList.Count > 0;
            if (pareto)
            {
                w.WriteStartArray("minimize");
                foreach (var m in report.MinimizeList) w.WriteStringValue(m);
                w.WriteEndArray();
            }
            w.WriteString("strategy", report.Strategy);
            w.WriteNumber("seed", report.Seed);
            w.WriteString("outcome", ReportFormat.Outcome(report.Outcome));
            w.WriteString("summary", report.Headline());
            w.WriteStartObject("counts");
            w.WriteNumber("trials", report.Trials.Count);
            foreach (var state in Enum.GetValues<TrialState>()) w.WriteNumber(state.Name(), report.CountIn(state));
            w.WriteEndObject();
            w.WritePropertyName("best");
            if (report.Best is { } best) WriteTrial(w, best, constrained); else w.WriteNullValue();
            w.WriteStartArray("bestSoFar");
            foreach (var v in report.BestSoFar) WriteNumber(w, v);
            w.WriteEndArray();
            w.WriteStartObject("charts");
            w.WriteString("trials", ReportCharts.TrialsFile);
            w.WriteString("epochs", ReportCharts.EpochsFile);
            if (report.Importance.IsKnown) w.WriteString("importance", ReportCharts.ImportanceFile);
            if (pareto) w.WriteString("pareto", ReportCharts.ParetoFile);
            w.WriteEndObject();
            WriteImportance(w, report.Importance);
            if (pareto) WritePareto(w, report);
            w.WriteStartArray("trials");
            foreach (var t in report.Trials) WriteTrial(w, t, constrained);
            w.WriteEndArray();
            if (report.Change is { } change)
            {
                w.WriteStartObject("sourceChange");
                w.WriteBoolean("written", change.Written);
                w.WriteString("diff", change.Diff);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteValues(Utf8JsonWriter w, string property, IReadOnlyList<KeyValuePair<string, object>> values)
    {
        w.WriteStartObject(property);
        foreach (var (name, value) in values)
        {
            w.WritePropertyName(name);
            switch (value)
            {
                case long l: w.WriteNumberValue(l); break;
                case double d: WriteNumber(w, d); break;
                case bool b: w.WriteBooleanValue(b); break;
                default: w.WriteStringValue(ReportFormat.Value(value)); break;
            }
        }
        w.WriteEndObject();
    }

    private static void WriteImportance(Utf8JsonWriter w, ParameterImportance importance)
    {
        w.WriteStartObject("importance");
        w.WriteBoolean("known", importance.IsKnown);
        if (importance.Reason is null) w.WriteNull("reason"); else w.WriteString("reason", importance.Reason);
        w.WriteNumber("trials", importance.Trials);
        w.WriteNumber("needed", importance.Needed);
        w.WriteStartArray("shares");
        foreach (var share in importance.IsKnown ? importance.Shares : [])
        {
            w.WriteStartObject();
            w.WriteString("parameter", share.Parameter);
            w.WriteNumber("share", share.Share);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The objectives in order (the target's metric first) and the trials no other beats on all of them, each with its value on every objective.</summary>
    private static void WritePareto(Utf8JsonWriter w, StudyReport report)
    {
        w.WriteStartObject("pareto");
        w.WriteStartArray("objectives");
        foreach (var (metric, direction) in report.MinimizeList.Select(m => (m, Direction.Minimize)).Prepend((report.Target.Metric, report.Target.Direction)))
        {
            w.WriteStartObject();
            w.WriteString("metric", metric);
            w.WriteString("direction", direction == Direction.Maximize ? "maximize" : "minimize");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("front");
        foreach (var t in report.Front)
        {
            w.WriteStartObject();
            w.WriteNumber("number", t.Number);
            w.WriteStartArray("values");
            WriteNumber(w, t.Value);
            foreach (var m in report.MinimizeList) WriteNumber(w, t.FinalMetrics.TryGetValue(m, out var v) ? v : null);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteTrial(Utf8JsonWriter w, ReportTrial t, bool constrained)
    {
        w.WriteStartObject();
        w.WriteNumber("number", t.Number);
        w.WriteString("state", t.State.Name());
        w.WritePropertyName("value");
        WriteNumber(w, t.Value);
        w.WriteBoolean("reachesTarget", t.ReachesTarget);
        if (constrained)
        {
            w.WriteBoolean("feasible", t.Feasible);
            w.WriteStartArray("broken");
            foreach (var b in t.Broken) w.WriteStringValue(b);
            w.WriteEndArray();
        }
        w.WriteNumber("epochs", t.Epochs);
        w.WriteNumber("restarts", t.Restarts);
        if (t.Error is null) w.WriteNull("error"); else w.WriteString("error", t.Error);
        WriteValues(w, "values", t.Values);
        if (t.Written is { } written) WriteValues(w, "written", written);
        w.WriteStartArray("curve");
        foreach (var (epoch, value) in t.Curve)
        {
            w.WriteStartObject();
            w.WriteNumber("epoch", epoch);
            w.WriteNumber("value", value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("finalMetrics");
        foreach (var (name, value) in t.FinalMetrics.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WritePropertyName(name);
            WriteNumber(w, value);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>JSON has no NaN or infinity: a metric that was not a number is written as null.</summary>
    private static void WriteNumber(Utf8JsonWriter w, double? value)
    {
        if (value is { } v && double.IsFinite(v)) w.WriteNumberValue(v); else w.WriteNullValue();
    }

    private static string Symbol(Comparison c) => c switch
    {
        Comparison.Greater => ">",
        Comparison.GreaterOrEqual => ">=",
        Comparison.Less => "<",
        _ => "<=",
    };
}

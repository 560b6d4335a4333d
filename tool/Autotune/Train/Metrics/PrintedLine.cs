using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Autotune.Train.Metrics;

/// <summary>What one printed line says: an epoch counter when it has one, and the metrics it names.</summary>
public sealed record PrintedLine(int? Epoch, IReadOnlyList<KeyValuePair<string, double>> Metrics)
{
    public static readonly PrintedLine Empty = new(null, []);

    /// <summary>The epochs the counter says the program trains ("Epoch 3/10": 10), when it says.</summary>
    public int? Of { get; init; }
}

/// <summary>
/// The default patterns: reads the forms people print metrics in, without any configuration.
/// <c>name: value</c>, <c>name=value</c>, <c>name value</c>, <c>name: 98.1%</c> or <c>98.1 %</c> (.NET's "P" format; read as 0.981),
/// <c>name: 9890/10000</c> (read as 0.989), Keras and Lightning lines, tqdm bars rewritten with
/// carriage returns (the last segment counts), flat JSON objects, and an epoch counter
/// (<c>Epoch 3/10</c>, <c>[3/10]</c>, <c>epoch=3</c>). Timestamps, durations, counts followed by a
/// word ("loaded 60000 images"), version numbers and settings (the learning rate) are not metrics.
/// </summary>
public static partial class DefaultPatterns
{
    public static PrintedLine Read(string raw)
    {
        var line = LastSegment(raw);
        line = Ansi().Replace(line, "");
        if (line.Length == 0) return PrintedLine.Empty;
        if (line.TrimStart().StartsWith('{') && Json(line.Trim()) is { } json) return json;

        int? epoch = null, of = null;
        line = EpochCounter().Replace(line, m =>
        {
            epoch ??= int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            if (m.Groups["of"].Success && int.TryParse(m.Groups["of"].Value, CultureInfo.InvariantCulture, out var total)) of ??= total;
            return " | ";
        });
        line = Timestamp().Replace(line, " ");
        line = LogLevel().Replace(line, " | ");
        line = TorchTensor().Replace(line, "${v}");
        line = line.Replace("'", "").Replace("\"", ""); // {'loss': 0.41} as Python prints a dict

        var metrics = new List<KeyValuePair<string, double>>();
        foreach (Match m in Pair().Matches(line))
        {
            var name = MetricName.Normalize(m.Groups["name"].Value);
            var value = Number(m.Groups["value"].Value);
            if (m.Groups["den"].Success)
            {
                // "Accuracy: 9890/10000": a count of a total is a fraction; "Epoch 3/10"-like counts never get here.
                var den = Number(m.Groups["den"].Value);
                if (den <= 0 || value > den) continue;
                value /= den;
            }
            else if (m.Groups["pct"].Success) value /= 100;
            if (name == "epoch")
            {
                if (double.IsFinite(value) && value == Math.Floor(value) && value >= 0) epoch ??= (int)value;
                continue;
            }
            if (!MetricName.IsMetric(name)) continue;
            metrics.Add(new(name, value));
        }
        return metrics.Count == 0 && epoch is null ? PrintedLine.Empty : new PrintedLine(epoch, metrics) { Of = of };
    }

    /// <summary>A progress bar rewritten with carriage returns shows only its last state; so does this.</summary>
    public static string LastSegment(string line)
    {
        if (!line.Contains('\r')) return line;
        var parts = line.Split('\r');
        for (var i = parts.Length - 1; i >= 0; i--)
            if (!string.IsNullOrWhiteSpace(parts[i])) return parts[i];
        return "";
    }

    public static double Number(string text)
    {
        var t = text.Trim();
        return t.ToLowerInvariant() switch
        {
            "nan" or "+nan" or "-nan" => double.NaN,
            "inf" or "+inf" or "infinity" or "+infinity" => double.PositiveInfinity,
            "-inf" or "-infinity" => double.NegativeInfinity,
            _ => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>{"epoch": 3, "loss": 0.12, "acc": 0.97}: numbers at the top level are metrics.</summary>
    private static PrintedLine? Json(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
            int? epoch = null;
            var metrics = new List<KeyValuePair<string, double>>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                var name = MetricName.Normalize(p.Name);
                double? value = p.Value.ValueKind switch
                {
                    JsonValueKind.Number => p.Value.GetDouble(),
                    JsonValueKind.String when NamedNumber().IsMatch(p.Value.GetString()!) => Number(p.Value.GetString()!),
                    _ => null,
                };
                if (value is not { } v) continue;
                if (name == "epoch") { if (v >= 0 && v == Math.Floor(v)) epoch = (int)v; continue; }
                if (MetricName.IsMetric(name)) metrics.Add(new(name, v));
            }
            return new PrintedLine(epoch, metrics);
        }
        catch (JsonException) { return null; }
    }

    private const string Num = @"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?i:nan|inf(?:inity)?)";

    // A name: up to two words; "name: value", "name = value", "name value", "name is value".
    // The value is a whole number (not "0.107.0", "3s", "2ms/step"), optionally a percent (not a tqdm "100%|")
    // or a count of a total, and is followed by the end, a separator, or the next "name value".
    [GeneratedRegex(@"(?<![\w.])(?<name>[A-Za-z][\w.@/]*(?:[ \-](?!(?:is|was|of)\b)[A-Za-z][\w.@/]*)?)(?:\s*[:=]\s*|\s+(?:(?:is|was|of|=)\s+)?)(?<value>" + Num + @")(?:(?<pct>\s?%)(?!\s*\|)|\s*/\s*(?<den>\d+(?:\.\d+)?)(?![\w./]))?(?![\w.%/])(?=\s*(?:$|[,;|)\]}>]|-(?![\d.])|[A-Za-z][\w.@/]*(?:[ \-][A-Za-z][\w.@/]*)?(?:\s*[:=]\s*|\s+)(?:" + Num + @")(?![\w.])|\())")]
    private static partial Regex Pair();

    // "Epoch 3/10", "Epoch [3/10]", "epoch 3 of 10", "Epoch: 3", "[Epoch 3]", "at epoch 3"; "epochs: 10" is a setting.
    [GeneratedRegex(@"(?:\b(?:at|in|after|for)\s+)?\bepoch(?!s)\b\s*[:#=]?\s*[\[(]?\s*(?<n>\d+)(?:\s*(?:/|of)\s*(?<of>\d+))?\s*[\])]?(?![\w.])", RegexOptions.IgnoreCase)]
    private static partial Regex EpochCounter();

    // 2026-11-23 14:02:11,532 / 2026-11-23T14:02:11Z / 14:02:11.5 / [00:12<00:30]
    [GeneratedRegex(@"\d{4}[-/]\d{2}[-/]\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?|(?<![\w.])\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?![\w.])")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"^\s*(?:\[?(?:INFO|DEBUG|TRACE|WARN|WARNING|ERROR|CRITICAL|info|dbug|warn|fail)\]?:?(?:[\w.]+:)?)(?=\s|$)")]
    private static partial Regex LogLevel();

    [GeneratedRegex(@"tensor\(\s*(?<v>[-+0-9.eE]+|nan|inf)[^)]*\)")]
    private static partial Regex TorchTensor();

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"^[-+]?(?i:nan|inf|infinity)$")]
    private static partial Regex NamedNumber();
}

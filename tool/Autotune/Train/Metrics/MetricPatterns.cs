using System.Globalization;
using System.Text.RegularExpressions;
using Autotune.Cli;

namespace Autotune.Train.Metrics;

/// <summary>
/// The regular expressions autotune.json gives per metric ("metrics": {"accuracy": "acc=(?&lt;value&gt;[0-9.]+)"}),
/// on top of the default patterns: a metric named here is read only through its expression. The value
/// is the group named "value" (else the first group); a '%' right after it scales it to a fraction; a
/// group named "epoch" gives the epoch counter.
/// </summary>
public sealed class MetricPatterns
{
    public static readonly MetricPatterns None = new(new Dictionary<string, Regex>());

    private readonly IReadOnlyDictionary<string, Regex> byName;

    private MetricPatterns(IReadOnlyDictionary<string, Regex> byName) => this.byName = byName;

    public IReadOnlyCollection<string> Names => byName.Keys.ToList();

    /// <summary>Compiles every expression; one that does not compile is invalid input naming the file and key.</summary>
    public static MetricPatterns Compile(IReadOnlyDictionary<string, string>? patterns, string sourceFile)
    {
        if (patterns is null || patterns.Count == 0) return None;
        var compiled = new Dictionary<string, Regex>();
        foreach (var (key, pattern) in patterns)
        {
            var where = $"{sourceFile}: \"metrics\".\"{key}\"";
            if (MetricName.Normalize(key).Length == 0) throw AutotuneException.Invalid($"{where}: a metric needs a name");
            if (string.IsNullOrEmpty(pattern)) throw AutotuneException.Invalid($"{where}: the regular expression is empty: write one with a group such as \"acc=(?<value>[0-9.]+)\"");
            Regex regex;
            try
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
            }
            catch (ArgumentException e)
            {
                throw AutotuneException.Invalid($"{where}: the regular expression does not compile: {e.Message.TrimEnd('.')}; fix it (.NET syntax, a group such as (?<value>[0-9.]+))");
            }
            if (regex.GetGroupNumbers().Length < 2)
                throw AutotuneException.Invalid($"{where}: the regular expression has no group for the value: write one such as \"acc=(?<value>[0-9.]+)\"");
            compiled[key] = regex;
        }
        return new MetricPatterns(compiled);
    }

    /// <summary>The default reading of a line, with the configured metrics read through their own expressions.</summary>
    public PrintedLine Read(string raw)
    {
        var defaults = DefaultPatterns.Read(raw);
        if (byName.Count == 0) return defaults;
        var line = DefaultPatterns.LastSegment(raw);
        var configured = byName.Keys.Select(MetricName.Normalize).ToHashSet();
        var metrics = defaults.Metrics.Where(m => !configured.Contains(m.Key)).ToList();
        var epoch = defaults.Epoch;
        foreach (var (name, regex) in byName)
        {
            Match m;
            try { m = regex.Match(line); }
            catch (RegexMatchTimeoutException) { continue; } // a pathological expression on a pathological line reads nothing
            if (!m.Success) continue;
            var group = m.Groups["value"].Success ? m.Groups["value"] : m.Groups[1];
            if (!group.Success) continue;
            double value;
            try { value = DefaultPatterns.Number(group.Value); }
            catch (FormatException) { continue; }
            var end = group.Index + group.Length;
            if (end < line.Length && line[end] == '%') value /= 100;
            metrics.Add(new(name, value));
            if (m.Groups["epoch"].Success && int.TryParse(m.Groups["epoch"].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var e)) epoch ??= e;
        }
        return new PrintedLine(epoch, metrics);
    }
}

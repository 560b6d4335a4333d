namespace Autotune.Train.Metrics;

/// <summary>
/// Turns the lines a program prints (or writes to its own metrics file) into one metric line per
/// epoch, the same lines the SDK writes to metrics.jsonl. An epoch ends when the line naming the
/// key metric (the target's) is read, when the epoch counter moves on, when a metric repeats in
/// output that has no counter, or when the output ends; without a counter, a line of names the last
/// epoch lacks, printed right after it, completes it. A zero-based counter ("Epoch 0") is shifted
/// so the first epoch is 1. The key metric is stored under the target's own spelling.
/// </summary>
public sealed class OutputMetricReader(MetricPatterns patterns, string? keyMetric = null, bool csv = false)
{
    private readonly Dictionary<string, double> pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private int? pendingEpoch;
    private int? planned; // "Epoch 3/10": the program trains 10, so epoch 10 is its last
    private bool sawCounter, zeroBased;
    private MetricLine? last;
    private string[]? csvHeader;
    private string? closer, lastName;

    /// <summary>Every metric name read so far.</summary>
    public IReadOnlyCollection<string> Names => names;

    /// <summary>True once a line named the key metric.</summary>
    public bool SawKeyMetric { get; private set; }

    /// <summary>Reads one line; returns the epochs it completed (usually none or one).</summary>
    public IReadOnlyList<MetricLine> Feed(string line)
    {
        var emitted = new List<MetricLine>();
        var printed = Parse(line);
        if (printed.Epoch is { } counter)
        {
            if (!sawCounter && counter == 0) zeroBased = true;
            var epoch = zeroBased ? counter + 1 : counter;
            // What came before the first counter belongs to the first epoch; a new counter ends the last one.
            if (pending.Count > 0 && pendingEpoch is not null && pendingEpoch != epoch) Emit(emitted, learn: true);
            pendingEpoch = epoch;
            sawCounter = true;
            if (printed.Of is { } of) planned = of; // a zero-based "Epoch 9/10" is shifted to 10 of 10 as well
        }
        // Without a counter, a line right after the key metric's that only has names the epoch lacks
        // ("AUC: 95.67 %" then "F1 Score: 84.48 %") completes that epoch; a name it has starts the next.
        if (!sawCounter && last is not null && pending.Count == 0 && printed.Metrics.Count > 0
            && printed.Metrics.All(m => !last.Metrics.ContainsKey(m.Key) && (keyMetric is null || !MetricName.Matches(m.Key, keyMetric))))
        {
            var completed = new Dictionary<string, double>(last.Metrics, StringComparer.Ordinal);
            foreach (var (name, value) in printed.Metrics) { completed[name] = value; names.Add(name); }
            last = last with { Metrics = completed };
            emitted.Add(last);
            return emitted;
        }
        var key = false;
        foreach (var (printedName, value) in printed.Metrics)
        {
            var name = keyMetric is not null && MetricName.Matches(printedName, keyMetric) ? keyMetric : printedName;
            if (!sawCounter && pending.ContainsKey(name)) Emit(emitted, learn: true);
            pending[name] = value;
            names.Add(name);
            lastName = name;
            key |= name == keyMetric;
        }
        if (key) SawKeyMetric = true;
        // Without a key metric, the name that closed the first epoch closes the later ones at once.
        if (key || keyMetric is null && closer is not null && printed.Metrics.Any(m => m.Key == closer)) Emit(emitted);
        return emitted;
    }

    /// <summary>
    /// Takes the first lines of a file an earlier start of the program wrote, and emits nothing from them: its
    /// CSV header, and whether its epochs count from 0, which the rows a resumed program appends do not repeat.
    /// </summary>
    public void ReadStart(IEnumerable<string> lines)
    {
        foreach (var line in lines)
            if (Parse(line).Epoch == 0) zeroBased = true;
    }

    /// <summary>A CSV row when the reader follows a CSV file and the line is one, otherwise what the patterns read.</summary>
    private PrintedLine Parse(string line) => csv ? CsvLine(line) ?? patterns.Read(line) : patterns.Read(line);

    /// <summary>The output ended: what was read since the last epoch is the last epoch.</summary>
    public IReadOnlyList<MetricLine> Finish()
    {
        var emitted = new List<MetricLine>();
        if (pending.Count > 0) Emit(emitted);
        return emitted;
    }

    /// <summary>Forgets the epochs of a program that is started again from the beginning.</summary>
    public void Restart()
    {
        pending.Clear();
        pendingEpoch = planned = null;
        sawCounter = zeroBased = false;
        last = null;
        csvHeader = null;
        closer = lastName = null;
    }

    private void Emit(List<MetricLine> emitted, bool learn = false)
    {
        if (learn && keyMetric is null) closer ??= lastName;
        var epoch = sawCounter && pendingEpoch is { } e ? e : (last?.Epoch ?? 0) + 1;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        // A late line of an epoch already reported (a callback printing after the key metric) completes it.
        if (last is not null && last.Epoch == epoch)
            foreach (var (k, v) in last.Metrics) metrics[k] = v;
        foreach (var (k, v) in pending) metrics[k] = v;
        pending.Clear();
        last = new MetricLine(epoch, metrics, null) { Of = planned };
        emitted.Add(last);
    }

    /// <summary>"epoch,loss,accuracy" then "1,0.52,0.91": a CSV metrics file (Keras' CSVLogger writes these).</summary>
    private PrintedLine? CsvLine(string line)
    {
        var fields = line.Split(line.Contains('\t') ? '\t' : ',').Select(f => f.Trim()).ToArray();
        if (fields.Length < 2) return null;
        var numbers = fields.Select(f => double.TryParse(f, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : (double?)null).ToArray();
        if (numbers.All(n => n is null) && fields.All(f => f.Length > 0 && char.IsLetter(f[0])))
        {
            csvHeader = fields.Select(MetricName.Normalize).ToArray();
            return PrintedLine.Empty;
        }
        if (csvHeader is null || fields.Length != csvHeader.Length) return null;
        int? epoch = null;
        var metrics = new List<KeyValuePair<string, double>>();
        for (var i = 0; i < fields.Length; i++)
        {
            var value = numbers[i] ?? (fields[i].ToLowerInvariant() is "nan" or "inf" or "-inf" ? DefaultPatterns.Number(fields[i]) : (double?)null);
            if (value is not { } v) continue;
            if (csvHeader[i] == "epoch") { if (v >= 0 && v == Math.Floor(v)) epoch = (int)v; }
            else if (MetricName.IsMetric(csvHeader[i])) metrics.Add(new(csvHeader[i], v));
        }
        return new PrintedLine(epoch, metrics);
    }
}

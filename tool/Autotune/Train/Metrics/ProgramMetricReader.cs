namespace Autotune.Train.Metrics;

/// <summary>
/// The epochs of a program without the SDK, from the sources its <see cref="ProgramOutput"/> names: what
/// it prints, the metrics file it writes, or both.
/// <para>Both when autotune found the file in the code: that file may lack the target's metric the output
/// prints, or be no log of epochs at all. Reading both, with the file's value winning for each metric of
/// an epoch it reports, never leaves a program worse off than reading its output alone, and needs no guess
/// at start-up about which source is right (a guess the first epoch could prove wrong). An epoch is passed
/// on only once one of the sources gave it the target's metric: a file row or a printed line without it is
/// no verdict on the epoch while the other source may still bring it.</para>
/// </summary>
public sealed class ProgramMetricReader
{
    private readonly OutputMetricReader? printed;  // null: the metrics file is read instead of the output
    private readonly OutputMetricReader? written;  // null: no metrics file
    private readonly string? keyMetric;
    private readonly Dictionary<int, MetricLine> fromOutput = [], fromFile = [];

    public ProgramMetricReader(ProgramOutput output, string? keyMetric)
    {
        this.keyMetric = keyMetric;
        if (output.MetricsFile is null || output.OutputToo) printed = new OutputMetricReader(output.Patterns, keyMetric);
        if (output.MetricsFile is not null) written = new OutputMetricReader(output.Patterns, keyMetric, csv: true);
    }

    private bool Merging => printed is not null && written is not null;

    /// <summary>Every metric name read so far, from either source.</summary>
    public IReadOnlyCollection<string> Names => (printed?.Names ?? []).Union(written?.Names ?? [], StringComparer.Ordinal).ToList();

    /// <summary>A line the program printed; returns the epochs it completed.</summary>
    public IReadOnlyList<MetricLine> FeedOutput(string line) => printed is null ? [] : Merge(printed.Feed(line), fromOutput);

    /// <summary>A line of the metrics file; returns the epochs it completed.</summary>
    public IReadOnlyList<MetricLine> FeedFile(string line) => written is null ? [] : Merge(written.Feed(line), fromFile);

    /// <summary>The first lines of the metrics file an earlier start wrote: a CSV header a resumed program does not write again.</summary>
    public void KnowFileStart(IReadOnlyList<string> lines) => written?.ReadStart(lines);

    /// <summary>The program ended: what each source read since its last epoch.</summary>
    public IReadOnlyList<MetricLine> Finish() =>
        [.. printed is null ? [] : Merge(printed.Finish(), fromOutput), .. written is null ? [] : Merge(written.Finish(), fromFile)];

    /// <summary>Forgets the epochs of a program that is started again from the beginning.</summary>
    public void Restart()
    {
        printed?.Restart();
        written?.Restart();
        fromOutput.Clear();
        fromFile.Clear();
    }

    private List<MetricLine> Merge(IReadOnlyList<MetricLine> epochs, Dictionary<int, MetricLine> source)
    {
        if (!Merging) return epochs.ToList();
        var merged = new List<MetricLine>();
        foreach (var epoch in epochs)
        {
            source[epoch.Epoch] = epoch;
            var output = fromOutput.GetValueOrDefault(epoch.Epoch);
            var file = fromFile.GetValueOrDefault(epoch.Epoch);
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (name, value) in output?.Metrics ?? new Dictionary<string, double>()) metrics[name] = value;
            foreach (var (name, value) in file?.Metrics ?? new Dictionary<string, double>()) metrics[name] = value;
            if (keyMetric is not null && !metrics.ContainsKey(keyMetric)) continue;
            merged.Add(new MetricLine(epoch.Epoch, metrics, null) { Of = output?.Of ?? file?.Of });
        }
        return merged;
    }
}

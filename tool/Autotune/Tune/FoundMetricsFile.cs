using Autotune.Detect;
using Autotune.Train.Metrics;

namespace Autotune.Tune;

/// <summary>
/// The metrics file of a program without the SDK when autotune.json names none: the one .csv or .jsonl
/// file its code writes (Detect finds it), or of several the one named as a log (metric, history, log,
/// progress, in that order). Its rows are read along with the output; `run` and `train` both choose here.
/// </summary>
public static class FoundMetricsFile
{
    private static readonly string[] LogWords = ["metric", "history", "log", "progress"];

    /// <summary>How to read the program, and the line that tells the user (null when there is nothing to tell).</summary>
    public static (ProgramOutput Output, string? Note) Apply(ProgramOutput output, IReadOnlyList<WrittenFile> written)
    {
        if (output.MetricsFile is not null || written.Count == 0) return (output, null);
        if (Choose(written) is not { } chosen)
            return (output, $"metrics: read from the program's output; it writes {string.Join(", ", written.Select(w => $"{w.Path} ({w.Evidence.File}:{w.Evidence.Line})"))}: set \"metricsFile\" in autotune.json to read one of them");
        return (output with { MetricsFile = chosen.Path, OutputToo = true },
            $"metrics: read from {chosen.Path}, which {chosen.Evidence.File}:{chosen.Evidence.Line} writes, and from the output for what it lacks (set \"metricsFile\" in autotune.json to choose another)");
    }

    public static WrittenFile? Choose(IReadOnlyList<WrittenFile> written)
    {
        if (written.Count == 1) return written[0];
        foreach (var word in LogWords)
        {
            var named = written.Where(w => Path.GetFileName(w.Path).Contains(word, StringComparison.OrdinalIgnoreCase)).ToList();
            if (named.Count > 0) return named.Count == 1 ? named[0] : null; // two logs alike: the user chooses
        }
        return null;
    }
}

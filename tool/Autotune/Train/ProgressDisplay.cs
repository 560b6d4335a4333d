using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Autotune.Train;

/// <summary>
/// Turns a trial's output into what a person watches: a live status line (epoch, batch, loss, ETA)
/// on a terminal, plain lines elsewhere (CI logs), the program's own lines indented beneath.
/// </summary>
/// <param name="tagLines">Prefix the program's own lines with the label too (trials running side by side).</param>
public sealed class ProgressDisplay(TextWriter output, bool interactive, string label = "train", bool tagLines = false)
{
    private readonly Stopwatch epochClock = Stopwatch.StartNew();
    private double lastEpochSeconds;
    private int statusWidth;

    public static bool IsInteractive => !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null;

    public void Line(string line)
    {
        if (line.StartsWith(TrialEnvironment.LinePrefix, StringComparison.Ordinal))
        {
            var rest = line[TrialEnvironment.LinePrefix.Length..];
            if (rest.StartsWith("progress ", StringComparison.Ordinal)) Progress(rest["progress ".Length..]);
            else if (rest.StartsWith("epoch ", StringComparison.Ordinal)) Epoch(rest["epoch ".Length..]);
            else if (rest.StartsWith("device ", StringComparison.Ordinal)) DeviceLine(rest["device ".Length..]);
            return;
        }
        Write(tagLines ? $"  [{label}] {line}" : "  " + line);
    }

    public void Note(string message) => Write($"[{label}] {message}");

    private void Progress(string json)
    {
        if (!interactive) return;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var r = doc.RootElement;
            int epoch = r.GetProperty("epoch").GetInt32(), epochs = r.GetProperty("epochs").GetInt32();
            int batch = r.GetProperty("batch").GetInt32(), batches = r.GetProperty("batches").GetInt32();
            var loss = r.GetProperty("loss").ValueKind == JsonValueKind.Number ? r.GetProperty("loss").GetDouble() : double.NaN;
            var perBatch = epochClock.Elapsed.TotalSeconds / Math.Max(1, batch);
            var epochLength = lastEpochSeconds > 0 ? lastEpochSeconds : perBatch * batches;
            var eta = perBatch * (batches - batch) + Math.Max(0, epochs - epoch) * epochLength;
            var text = string.Create(CultureInfo.InvariantCulture,
                $"[{label}] epoch {epoch}/{epochs}  batch {batch}/{batches}  loss {loss:F4}  ETA {TimeSpan.FromSeconds(Math.Round(eta)):g}");
            output.Write("\r" + text.PadRight(statusWidth));
            statusWidth = text.Length;
            output.Flush();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { }
    }

    private void DeviceLine(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var requested = doc.RootElement.GetProperty("requested").GetString();
            var actual = doc.RootElement.GetProperty("actual").GetString();
            Note(requested == "auto" && actual == "cpu" ? "device: cpu (auto: CUDA is not available here, training on the CPU)" : $"device: {actual} (asked for {requested})");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { }
    }

    private void Epoch(string json)
    {
        if (MetricsFile.Parse(json) is { } metrics) Epoch(metrics);
    }

    /// <summary>An epoch read from a program's output (one without the SDK), shown as the SDK's are.</summary>
    public void Epoch(MetricLine metrics)
    {
        lastEpochSeconds = metrics.Seconds ?? epochClock.Elapsed.TotalSeconds;
        epochClock.Restart();
        var values = string.Join(", ", metrics.Metrics.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:0.####}")));
        Write(string.Create(CultureInfo.InvariantCulture, $"[{label}] epoch {metrics.Epoch}: {values} ({lastEpochSeconds:F1} s)"));
    }

    private void Write(string text)
    {
        if (interactive && statusWidth > 0)
        {
            output.Write("\r" + new string(' ', statusWidth) + "\r");
            statusWidth = 0;
        }
        output.WriteLine(text);
        output.Flush();
    }
}

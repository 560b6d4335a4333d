using System.Text.Json;
using System.Text.Json.Serialization;

namespace Autotune;

/// <summary>One line of <c>metrics.jsonl</c>: the metrics of one finished epoch.</summary>
public sealed record MetricLine(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("metrics")] IReadOnlyDictionary<string, double> Metrics,
    [property: JsonPropertyName("seconds")] double? Seconds)
{
    /// <summary>The epochs the program means to train (from <c>Trial.Epochs</c>), when it said: epoch == of is its last.</summary>
    [JsonPropertyName("of")]
    public int? Of { get; init; }

    /// <summary>True when this is the last epoch the program planned: nothing is stopped after it, it ends anyway.</summary>
    [JsonIgnore]
    public bool IsLast => Of is { } of && Epoch >= of;
}

internal static class SdkJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>Reads a metrics file; the last line of an epoch wins (an epoch rerun after a restart overwrites).</summary>
public static class MetricsFile
{
    public static IReadOnlyList<MetricLine> Read(string path)
    {
        if (!File.Exists(path)) return [];
        var byEpoch = new SortedDictionary<int, MetricLine>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } text)
        {
            var line = Parse(text);
            if (line is not null) byEpoch[line.Epoch] = line;
        }
        return byEpoch.Values.ToList();
    }

    /// <summary>A line, or null for a torn or foreign one (a crash can cut the last line short).</summary>
    public static MetricLine? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try { return JsonSerializer.Deserialize<MetricLine>(text, SdkJson.Options) is { Metrics: not null } l ? l : null; }
        catch (JsonException) { return null; }
    }
}

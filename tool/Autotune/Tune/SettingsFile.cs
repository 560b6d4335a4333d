using System.Text.Json;
using Autotune.Cli;

namespace Autotune.Tune;

/// <summary>
/// autotune.json in the model folder: the same settings as the flags of `autotune run`, so a
/// repository can keep its target and budget next to its code. Flags win over the file.
/// </summary>
public sealed record SettingsFile(
    string? Target = null, int? MaxTrials = null, int? MaxEpochs = null, double? TimeoutSeconds = null, string? Strategy = null,
    int? Seed = null, string? Device = null, int? Retries = null, string? Study = null, bool? Asha = null,
    Dictionary<string, string>? Metrics = null, string? MetricsFile = null)
{
    // Metrics: a regular expression per metric name, for a program without the SDK (see Train/Metrics/MetricPatterns).
    // MetricsFile: a file such a program writes its metrics to, read instead of its output.
    public const string FileName = "autotune.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static string PathIn(string modelFolder) => Path.Combine(modelFolder, FileName);

    public static SettingsFile Load(string modelFolder)
    {
        var path = Path.Combine(modelFolder, FileName);
        if (!File.Exists(path)) return new SettingsFile();
        SettingsFile file;
        try
        {
            file = JsonSerializer.Deserialize<SettingsFile>(File.ReadAllText(path), Options) ?? new SettingsFile();
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"{path}:{line + 1}" : path;
            throw AutotuneException.Invalid($"{where}: {FirstSentence(e.Message)} (keys: target, maxTrials, maxEpochs, timeoutSeconds, strategy, seed, device, retries, study, asha, metrics, metricsFile)");
        }
        Train.Metrics.MetricPatterns.Compile(file.Metrics, path); // a bad expression is invalid input now, not after a build
        return file;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.');
    }
}

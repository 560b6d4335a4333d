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
    string? Runner = null, SettingsFile.DockerSettings? Docker = null, int? Parallel = null,
    Dictionary<string, string>? Metrics = null, string? MetricsFile = null, int? EpochBudget = null, bool? Worker = null,
    Dictionary<string, JsonElement>? Space = null)
{
    // Metrics: a regular expression per metric name, for a program without the SDK (see Train/Metrics/MetricPatterns).
    // MetricsFile: a file such a program writes its metrics to, read instead of its output.
    // Worker: false runs each trial's program as a new process (as --no-worker does).
    // Space: a parameter's domain replaced, by name: [min, max] or a list of values (see Tune/SpaceOverrides).
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
            throw AutotuneException.Invalid($"{where}: {Explain(e)} (keys: target, maxTrials, maxEpochs, epochBudget, timeoutSeconds, strategy, seed, device, retries, study, asha, parallel, worker, metrics, metricsFile, space: {{Name: [min, max] or [values]}}, runner, docker: {{host, image, base, gpus, memory, cpus, network, mounts, env}})");
        }
        Train.Metrics.MetricPatterns.Compile(file.Metrics, path); // a bad expression is invalid input now, not after a build
        return file;
    }

    /// <summary>`"docker": { ... }`: the container flags of `--runner docker`, under their names without the dashes (host is --docker-host, base is --image-base).</summary>
    public sealed record DockerSettings(string? Host = null, string? Image = null, string? Gpus = null, string? Memory = null, double? Cpus = null, string? Network = null,
        string? Base = null, string[]? Mounts = null, string[]? Env = null);

    /// <summary>The serializer's words name .NET types; the user wrote JSON keys.</summary>
    private static string Explain(JsonException e)
    {
        var key = e.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : null;
        if (e.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var start = e.Message.IndexOf('\'') + 1;
            var name = start > 0 ? e.Message[start..e.Message.IndexOf('\'', start)] : key;
            return $"unknown key '{name}'";
        }
        if (e.Message.Contains("could not be converted", StringComparison.Ordinal))
            return key is null ? "expected a JSON object of settings" : $"'{key}' has the wrong type (target, strategy, device, study, runner: text; asha, worker: true/false; docker, metrics, space: objects; the rest: numbers)";
        return FirstSentence(e.Message);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.');
    }
}

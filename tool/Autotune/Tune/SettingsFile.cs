using System.Globalization;
using System.Text;
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
    Dictionary<string, JsonElement>? Space = null, string[]? Constraints = null, bool? SearchEpochs = null, string[]? Minimize = null)
{
    // SearchEpochs: true searches the epoch count like any other value (as --search-epochs does) instead of training every trial to its most.
    // Metrics: a regular expression per metric name, for a program without the SDK (see Train/Metrics/MetricPatterns).
    // MetricsFile: a file such a program writes its metrics to, read instead of its output.
    // Worker: false runs each trial's program as a new process (as --no-worker does).
    // Constraints: bounds a trial must meet besides the target, as --constraint ("params<=200000").
    // Minimize: secondary objectives, as --minimize (["params"]): the best of the trials on target is the lowest by them.
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
        var text = Detect.RepositoryFile.ReadAllText(modelFolder, path);
        // Before the serializer: it keeps the last of two equal keys, and calls a number too large for its key 'the wrong type'.
        CheckKeysAndNumbers(text, path);
        SettingsFile file;
        try
        {
            file = JsonSerializer.Deserialize<SettingsFile>(text, Options) ?? new SettingsFile();
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"{path}:{line + 1}" : path;
            throw AutotuneException.Invalid($"{where}: {Explain(e)} (keys: target, constraints: [\"params<=200000\"], minimize: [\"params\"], maxTrials, maxEpochs, epochBudget, timeoutSeconds, strategy, seed, device, retries, study, asha, searchEpochs, parallel, worker, metrics, metricsFile, space: {{Name: [min, max] or [values]}}, runner, docker: {{host, image, base, gpus, memory, cpus, network, mounts, env}})");
        }
        Train.Metrics.MetricPatterns.Compile(file.Metrics, path); // a bad expression is invalid input now, not after a build
        if (file.Study is { } study) StudyName.Check(study, $"{path}: 'study'");
        return file;
    }

    /// <summary>What a number of the file may be: whole or not, and its bounds (open ones exclude the bound itself).</summary>
    private sealed record NumberRule(bool Whole, double Min, double Max, bool MinOpen = false, bool MaxOpen = false)
    {
        /// <summary>The serializer reads a whole number only when written as one: 2.0 and 1e2 are not.</summary>
        public bool Allows(string raw) =>
            (Whole ? long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : double.NaN
                   : double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN) is var v
            && double.IsFinite(v) && (MinOpen ? v > Min : v >= Min) && (MaxOpen ? v < Max : v <= Max);

        public string Words => Whole
            ? string.Create(CultureInfo.InvariantCulture, $"a whole number from {Min} to {Max}")
            : string.Create(CultureInfo.InvariantCulture, $"a number {(MinOpen ? "above" : "from")} {Min}{(double.IsPositiveInfinity(Max) ? "" : $" {(MaxOpen ? "and below" : "to")} {Max}")}");
    }

    private static readonly IReadOnlyDictionary<string, NumberRule> Numbers = new Dictionary<string, NumberRule>(StringComparer.Ordinal)
    {
        ["maxTrials"] = new(true, 1, int.MaxValue),
        ["maxEpochs"] = new(true, 1, int.MaxValue),
        ["epochBudget"] = new(true, 1, int.MaxValue),
        ["seed"] = new(true, int.MinValue, int.MaxValue),
        ["retries"] = new(true, 0, int.MaxValue),
        ["parallel"] = new(true, 1, int.MaxValue),
        ["timeoutSeconds"] = new(false, 0, 1e9, MinOpen: true, MaxOpen: true),
        ["docker.cpus"] = new(false, 0, double.PositiveInfinity, MinOpen: true),
    };

    /// <summary>
    /// One walk over the file's tokens: a key given twice in one object (at any depth) and a number outside what
    /// its key allows are refused with the file, the line and the key. Text that is not JSON is left to the serializer.
    /// </summary>
    private static void CheckKeysAndNumbers(string text, string path)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        // Per open container: its path, the keys seen (objects) or the next index (arrays).
        var open = new Stack<(string Path, HashSet<string>? Keys, int Index)>();
        string? key = null;
        int Line(long at) => 1 + bytes.AsSpan(0, (int)at).Count((byte)'\n');
        string Here()
        {
            if (open.Count == 0) return "";
            var (at, keys, index) = open.Pop();
            open.Push((at, keys, index + (keys is null ? 1 : 0)));
            var own = keys is null ? $"[{index}]" : key!;
            return at.Length == 0 || keys is null ? at + own : at + "." + own;
        }
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return; // the serializer asks for an object
            open.Push(("", new HashSet<string>(StringComparer.Ordinal), 0));
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        key = reader.GetString()!;
                        var seen = open.Peek().Keys!;
                        if (!seen.Add(key))
                        {
                            var at = open.Peek().Path;
                            throw AutotuneException.Invalid(
                                $"{path}:{Line(reader.TokenStartIndex)}: key '{(at.Length == 0 ? key : at + "." + key)}' is given twice: keep one (JSON readers disagree on which one wins)");
                        }
                        break;
                    case JsonTokenType.StartObject:
                        open.Push((Here(), new HashSet<string>(StringComparer.Ordinal), 0));
                        break;
                    case JsonTokenType.StartArray:
                        open.Push((Here(), null, 0));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        open.Pop();
                        break;
                    case JsonTokenType.Number:
                        var name = Here();
                        var raw = Encoding.UTF8.GetString(reader.ValueSpan);
                        if (Numbers.TryGetValue(name, out var rule) && !rule.Allows(raw))
                            throw AutotuneException.Invalid($"{path}:{Line(reader.TokenStartIndex)}: '{name}' is {raw}: give {rule.Words}");
                        break;
                    default:
                        Here(); // a value: counts as an array's item
                        break;
                }
            }
        }
        catch (JsonException) { } // not JSON: the serializer says where and why
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
            return key is null ? "expected a JSON object of settings" : $"'{key}' has the wrong type (target, strategy, device, study, runner: text; constraints: a list of texts; minimize: a list of texts; asha, searchEpochs, worker: true/false; docker, metrics, space: objects; the rest: numbers)";
        return FirstSentence(e.Message);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.');
    }
}

using System.Globalization;
using System.Text.Json;
using Autotune.Cli;

namespace Autotune.Train;

/// <summary>
/// Whose a trial folder is, written into it as trial.json by `train` and `run` before anything else: the
/// project, and when known the study, the trial's number and the values it trains (as `ask` prints them).
/// `train --trial-dir` resumes only a folder of the same trial, and `tell` records only the trial a folder
/// says it is. A null field is not known: `train` without --study, --trial-number or --values.
/// </summary>
public sealed record TrialIdentity(string Project, string? Study, int? Trial, string? Values)
{
    public const string File = "trial.json";
    public const string Schema = "autotune.trial/1";

    /// <summary>What autotune (and a program under it) writes into a trial folder: a folder holding only these is one it made.</summary>
    private static readonly HashSet<string> TrialEntries = new(StringComparer.Ordinal)
    {
        File, TrialSupervisor.LogFile, TrialSupervisor.ResultFile, TrialSupervisor.ResultFile + ".tmp", "build.log", "compiler-arguments.json", ProcessRunner.PidFile,
        TrialEnvironment.MetricsFile, TrialEnvironment.CheckpointFolder, TrialEnvironment.StopFile, Docker.DockerRunner.ContainerIdFile,
    };

    /// <summary>"trial 3 of study 'MnistCnn' (ConvLayers=2,...)", "a `train` of project MnistCnn without a trial number".</summary>
    public override string ToString() =>
        Trial is { } n
            ? $"trial {n}{(Study is { } s ? $" of study '{s}'" : "")} of project {Project}{(Values is { } v ? $" ({v})" : " (the code's own values)")}"
            : $"a `train` of project {Project}{(Values is { } values ? $" with {values}" : "")} without --trial-number";

    /// <summary>The identity in <paramref name="folder"/>, or null when it has none; one that cannot be read is invalid input.</summary>
    public static TrialIdentity? Read(string folder)
    {
        var path = Path.Combine(folder, File);
        if (!System.IO.File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(path));
            var r = doc.RootElement;
            if (r.GetProperty("schema").GetString() != Schema) throw new JsonException($"schema is not {Schema}");
            return new TrialIdentity(
                r.GetProperty("project").GetString() ?? throw new JsonException("no project"),
                Text(r, "study"),
                r.TryGetProperty("trial", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() : null,
                Text(r, "values"));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IOException or UnauthorizedAccessException)
        {
            throw AutotuneException.Invalid($"{path} is not a trial identity autotune wrote ({e.Message.Split('\n')[0].TrimEnd('.')}): use another trial folder");
        }

        static string? Text(JsonElement r, string name) =>
            r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }

    public void Write(string folder)
    {
        var path = Path.Combine(folder, File);
        System.IO.File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(new
        {
            schema = Schema,
            project = Project,
            study = Study,
            trial = Trial,
            values = Values,
            written = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        }, new JsonSerializerOptions { WriteIndented = true }));
        System.IO.File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>
    /// Makes <paramref name="folder"/> this trial's folder for `train --trial-dir`: a new or empty folder, or one of
    /// the same trial (which resumes: <paramref name="sameValues"/> compares recorded values with this trial's), else
    /// invalid input before anything is written. A folder from before trial.json that holds only what autotune
    /// writes into trial folders is taken as the same trial. Returns true when the folder resumes a trial.
    /// </summary>
    public bool Claim(string folder, Func<string, bool> sameValues)
    {
        if (System.IO.File.Exists(folder))
            throw AutotuneException.Invalid($"--trial-dir {folder} is a file: pass a folder (a new one, an empty one, or this trial's own)");
        var resumes = false;
        if (Directory.Exists(folder))
        {
            var found = Read(folder);
            if (found is not null)
            {
                if (!IsSameTrial(found, sameValues))
                    throw AutotuneException.Invalid(
                        $"--trial-dir {folder} is the folder of {found}, not of {this}: pass a new or empty folder (a trial folder resumes only its own trial)");
                resumes = true;
            }
            else
            {
                var foreign = Entries(folder).Where(e => !TrialEntries.Contains(e)).Take(3).ToList();
                if (foreign.Count > 0)
                    throw AutotuneException.Invalid(
                        $"--trial-dir {folder} holds {string.Join(", ", foreign)}, and autotune did not make it (no {File}): pass a new or empty folder");
                resumes = Entries(folder).Any();
            }
        }
        try
        {
            Directory.CreateDirectory(folder);
            (resumes ? Merge(Read(folder)) : this).Write(folder);
        }
        catch (Exception e) when (e is IOException { HResult: not 28 } or UnauthorizedAccessException)
        {
            throw AutotuneException.Invalid($"--trial-dir {folder} cannot be written ({e.Message.TrimEnd('.')}): pass a folder you can write");
        }
        return resumes;
    }

    /// <summary>Project, number and values agree, and the study where both name one.</summary>
    public bool IsSameTrial(TrialIdentity other, Func<string, bool> sameValues) =>
        other.Project == Project && other.Trial == Trial && (other.Study is null || Study is null || other.Study == Study)
        && (other.Values is null ? Values is null : Values is not null && sameValues(other.Values));

    /// <summary>What this train knows, and what the folder knew that it does not (its study).</summary>
    private TrialIdentity Merge(TrialIdentity? found) => found is null ? this : this with { Study = Study ?? found.Study };

    private static IEnumerable<string> Entries(string folder)
    {
        try { return Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>().ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw AutotuneException.Invalid($"--trial-dir {folder} cannot be read ({e.Message.TrimEnd('.')}): pass a folder you can write");
        }
    }
}

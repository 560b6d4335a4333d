using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Autotune.Rewrite;
using Autotune.Search;
using Autotune.Study;
using Autotune.Train;
using Autotune.Tune;

namespace Autotune.Cli;

/// <summary>
/// `autotune tell &lt;model-dir&gt; --trial N --from DIR [--study S]`: records a trial that `ask` queued and
/// `autotune train` ran elsewhere, from its trial folder (metrics.jsonl, result.json): its epochs and
/// its end, in one transaction. The contract is docs/ask-tell.md.
/// </summary>
public static class TellCommand
{
    public static Command Create()
    {
        var modelDir = new Argument<string>("model-dir") { Description = "Folder of the model project" };
        var trial = new Option<int>("--trial") { Description = "The trial's number, as `ask` printed it", Required = true };
        var from = new Option<string>("--from") { Description = "The trial folder `autotune train --trial-dir` wrote", Required = true };
        var study = new Option<string?>("--study") { Description = "Study name (default: the project's name)" };
        var command = new Command("tell", "Record a trial that ran elsewhere (from its trial folder) in the study") { modelDir, trial, from, study };
        command.SetAction(parse => Run(ModelProject.Open(parse.GetValue(modelDir)!), parse.GetValue(study), parse.GetValue(trial),
            parse.GetValue(from)!, parse.InvocationConfiguration.Output));
        return command;
    }

    public static int Run(ModelProject project, string? studyName, int number, string from, TextWriter output)
    {
        var path = project.StudyStorePath;
        StudyStore.RequireExisting(path, $"`autotune ask {project.Folder}` makes the study first");
        var folder = Path.GetFullPath(from);
        var resultFile = Path.Combine(folder, TrialSupervisor.ResultFile);
        if (!File.Exists(resultFile))
            throw AutotuneException.Invalid($"{resultFile} does not exist: the trial has not finished, or {from} is not the folder `autotune train --trial-dir` wrote");
        var identity = TrialIdentity.Read(folder) ?? throw AutotuneException.Invalid(
            $"{folder} has no {TrialIdentity.File}, so it cannot say which trial it is: tell only a folder `autotune train --trial-dir D --trial-number N --values ...` wrote");

        // One writer per study: a run, or another ask or tell, finishes first.
        using var held = StudyLock.Acquire(path, "tell", line => output.WriteLine($"autotune: {line}"));
        using var store = StudyStore.Open(path, write: true);
        var name = studyName ?? project.Name;
        var info = store.FindStudy(name) ?? throw AutotuneException.Invalid($"{path} has no study '{name}' (it has: {string.Join(", ", store.StudyNames())}); pass --study");
        var engine = StudyEngine.ForTell(store, info);
        var asked = engine.Trials().FirstOrDefault(t => t.Number == number)
            ?? throw AutotuneException.Invalid($"study '{info.Name}' has no trial {number}: tell only trials that `autotune ask` queued");
        CheckIdentity(identity, folder, project, info, asked);
        var (state, restarts, error) = ReadResult(resultFile, folder);
        var epochs = ReadEpochs(Path.Combine(folder, TrialEnvironment.MetricsFile), state);

        var changed = engine.Tell(number, epochs, state, restarts, error);
        var told = engine.Trial(number);
        output.WriteLine(changed
            ? $"trial {number}: {told.State.Name()}, {Target.Parse(info.Target).Metric} {StudyEngine.Format(told.Value)} after {told.Epochs} epoch(s){(told.Error is { } e ? $" ({e})" : "")}"
            : $"trial {number}: already recorded as {told.State.Name()} after {told.Epochs} epoch(s); nothing changed");
        return ExitCodes.Success;
    }

    /// <summary>The folder is the trial it is told as: this project, this trial's number, its study where it names one, and its values.</summary>
    private static void CheckIdentity(TrialIdentity identity, string folder, ModelProject project, StudyInfo study, StoredTrial asked)
    {
        var number = asked.Number;
        var own = $"tell trial {number} from its own folder (`autotune train --values` as `ask` printed them, --trial-number {number})";
        if (identity.Project != project.Name)
            throw AutotuneException.Invalid($"{folder} is {identity}, not a trial of project {project.Name}: {own}");
        if (identity.Trial is not { } trained)
            throw AutotuneException.Invalid($"{folder} was trained without --trial-number, so it is no trial of study '{study.Name}': {own}");
        if (trained != number)
            throw AutotuneException.Invalid($"{folder} is the folder of trial {trained}, not of trial {number}: tell it as --trial {trained}, or {own}");
        if (identity.Study is { } other && other != study.Name)
            throw AutotuneException.Invalid($"{folder} is {identity}, not of study '{study.Name}': tell it with --study {other}, or {own}");
        var expected = AssignmentText.Format(asked.Values);
        if (identity.Values is not { } values)
            throw AutotuneException.Invalid($"{folder} trained the code's own values, not trial {number}'s ({expected}): {own}");
        Assignment? recorded;
        try { recorded = AssignmentText.Parse(values, study.Space, $"study '{study.Name}'"); }
        catch (AutotuneException) { recorded = null; }
        if (recorded is null || !recorded.Equals(asked.Values))
            throw AutotuneException.Invalid($"{folder} trained {values}, but trial {number} of study '{study.Name}' is {expected}: {own}");
    }

    /// <summary>The end result.json records: completed, or failed with the reason the trial log gives.</summary>
    private static (TrialState State, int Restarts, string? Error) ReadResult(string resultFile, string folder)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(resultFile));
            var root = doc.RootElement;
            var state = root.GetProperty("state").GetString();
            var restarts = Count(root, "restarts", resultFile);
            Count(root, "epochs", resultFile);
            return state switch
            {
                "completed" => (TrialState.Completed, restarts, null),
                "pruned" => (TrialState.Pruned, restarts, null),
                "failed" => (TrialState.Failed, restarts,
                    root.TryGetProperty("error", out var e) && e.GetString() is { Length: > 0 } message ? message : LastFailure(folder)),
                _ => throw AutotuneException.Invalid($"{resultFile}: state '{state}' is not completed, pruned or failed"),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw AutotuneException.Invalid($"{resultFile} is not a trial result ({e.Message.TrimEnd('.')}): tell the folder `autotune train` wrote");
        }
    }

    /// <summary>A count result.json may hold (restarts, epochs): absent is 0; anything but a whole number of 0 or more is refused.</summary>
    private static int Count(JsonElement root, string name, string resultFile)
    {
        if (!root.TryGetProperty(name, out var v)) return 0;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n >= 0 ? n
            : throw AutotuneException.Invalid($"{resultFile}: {name} {v.GetRawText()} is not a count (a whole number, 0 or more): tell the folder `autotune train` wrote");
    }

    /// <summary>
    /// The epochs of metrics.jsonl, the last line of an epoch winning, as the SDK reads them. An epoch below 1 is
    /// refused, and so is a metric that is not a finite number (or is beyond ±1e300, where every comparison and chart
    /// overflows) in a trial that did not fail: a trial that diverged to NaN failed with it, and is recorded without it.
    /// </summary>
    private static IReadOnlyList<MetricLine> ReadEpochs(string path, TrialState state)
    {
        if (!File.Exists(path)) return [];
        var byEpoch = new SortedDictionary<int, MetricLine>();
        var number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (MetricsFile.Parse(text) is not { } line) continue; // a torn last line, as the SDK skips it
            if (line.Epoch < 1)
                throw AutotuneException.Invalid($"{path}:{number}: epoch {line.Epoch} is not an epoch (they count from 1): tell the folder `autotune train` wrote");
            if (state != TrialState.Failed && line.Metrics.FirstOrDefault(m => !(Math.Abs(m.Value) <= 1e300)) is { Key: not null } bad)
                throw AutotuneException.Invalid(string.Create(CultureInfo.InvariantCulture,
                    $"{path}:{number}: {bad.Key} is {bad.Value}, not a metric a {state.Name()} trial reports (a finite number within ±1e300): tell the folder `autotune train` wrote"));
            byEpoch[line.Epoch] = line;
        }
        return byEpoch.Values.ToList();
    }

    /// <summary>The supervisor's last note in trial.log ("the program was killed ..."), the failure's best description.</summary>
    private static string LastFailure(string folder)
    {
        var log = Path.Combine(folder, TrialSupervisor.LogFile);
        var note = File.Exists(log)
            ? File.ReadLines(log).LastOrDefault(l => l.StartsWith("autotune: ", StringComparison.Ordinal) && !l.Contains(" start ", StringComparison.Ordinal))
            : null;
        if (note is null) return "the trial failed (see its trial folder)";
        // "autotune: <time> the program ..." without the time stamp.
        var parts = note.Split(' ', 3);
        return parts.Length == 3 && DateTime.TryParse(parts[1], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _) ? parts[2] : note;
    }
}

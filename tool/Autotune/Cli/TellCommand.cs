using System.CommandLine;
using System.Globalization;
using System.Text.Json;
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
        if (!File.Exists(path)) throw AutotuneException.Invalid($"{path} does not exist: `autotune ask {project.Folder}` makes the study first");
        var folder = Path.GetFullPath(from);
        var resultFile = Path.Combine(folder, TrialSupervisor.ResultFile);
        if (!File.Exists(resultFile))
            throw AutotuneException.Invalid($"{resultFile} does not exist: the trial has not finished, or {from} is not the folder `autotune train --trial-dir` wrote");
        var (state, restarts, error) = ReadResult(resultFile, folder);
        var epochs = MetricsFile.Read(Path.Combine(folder, TrialEnvironment.MetricsFile));

        using var store = StudyStore.Open(path);
        var name = studyName ?? project.Name;
        var info = store.FindStudy(name) ?? throw AutotuneException.Invalid($"{path} has no study '{name}' (it has: {string.Join(", ", store.StudyNames())}); pass --study");
        var engine = StudyEngine.ForTell(store, info);
        var changed = engine.Tell(number, epochs, state, restarts, error);
        var told = engine.Trial(number);
        output.WriteLine(changed
            ? $"trial {number}: {told.State.Name()}, {Target.Parse(info.Target).Metric} {StudyEngine.Format(told.Value)} after {told.Epochs} epoch(s){(told.Error is { } e ? $" ({e})" : "")}"
            : $"trial {number}: already recorded as {told.State.Name()} after {told.Epochs} epoch(s); nothing changed");
        return ExitCodes.Success;
    }

    /// <summary>The end result.json records: completed, or failed with the reason the trial log gives.</summary>
    private static (TrialState State, int Restarts, string? Error) ReadResult(string resultFile, string folder)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(resultFile));
            var root = doc.RootElement;
            var state = root.GetProperty("state").GetString();
            var restarts = root.TryGetProperty("restarts", out var r) && r.TryGetInt32(out var n) ? n : 0;
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

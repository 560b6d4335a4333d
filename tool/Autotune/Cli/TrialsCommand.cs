using System.CommandLine;
using System.Text.Json;
using Autotune.Search;
using Autotune.Study;
using Autotune.Train;

namespace Autotune.Cli;

/// <summary>`autotune trials &lt;model-dir&gt; [--study S] [--json]`: the trials of a study, as a table or JSON.</summary>
public static class TrialsCommand
{
    public static Command Create()
    {
        var modelDir = new Argument<string>("model-dir") { Description = "Folder of the model project" };
        var study = new Option<string?>("--study") { Description = "Study name (default: the project's name)" };
        var json = new Option<bool>("--json") { Description = "JSON instead of a table" };
        var command = new Command("trials", "List the trials of a study") { modelDir, study, json };
        command.SetAction(parse =>
        {
            var project = ModelProject.Open(parse.GetValue(modelDir)!);
            var path = project.StudyStorePath;
            StudyStore.RequireExisting(path, $"run `autotune run {parse.GetValue(modelDir)}` first");
            using var store = StudyStore.Open(path);
            var name = parse.GetValue(study) ?? project.Name;
            var info = store.FindStudy(name) ?? throw AutotuneException.Invalid(
                $"{path} has no study '{name}' (it has: {string.Join(", ", store.StudyNames())}); pass --study");
            var trials = store.Trials(info);
            var constraints = StudyConstraints.Of(info);
            var minimize = StudyObjectives.Of(info);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                var importance = Report.StudyReport.ImportanceOf(info, trials, Target.Parse(info.Target));
                var lockState = StudyLock.Probe(path);
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    schema = "autotune.trials/1",
                    study = info.Name,
                    target = info.Target,
                    constraints = constraints.Select(c => c.ToString()),
                    // docs/trials-schema.md: the secondary objectives in order, and the trials on the Pareto front, best value first.
                    minimize,
                    pareto = TrialObjectives.Front(trials, Target.Parse(info.Target), constraints, minimize),
                    trials = trials.Select(t => new
                    {
                        number = t.Number, state = t.State.Name(), value = t.Value, epochs = t.Epochs, restarts = t.Restarts, error = t.Error,
                        // docs/trials-schema.md: false when the trial broke a constraint at its last epoch, and what it broke.
                        feasible = t.IsFeasible(constraints), broken = t.Broken(constraints),
                        values = t.Values.Values.ToDictionary(kv => kv.Key, kv => kv.Value),
                    }),
                    // docs/trials-schema.md: ranked shares of which parameters mattered, or null and the reason why not.
                    importance = importance.IsKnown ? importance.Shares.Select(s => new { parameter = s.Parameter, share = s.Share }) : null,
                    importanceReason = importance.Reason,
                    // docs/trials-schema.md: the live command writing the study now, and the one that ended without releasing it.
                    controller = lockState.Held ? Holder(lockState.Holder) : null,
                    leftBy = lockState.LeftBy is null ? null : Holder(lockState.LeftBy),
                }, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
                TrialTable.Write(output, trials, Target.Parse(info.Target), constraints, minimize);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A lock holder as trials --json writes it; every field null when the holder has not said who it is yet.</summary>
    private static object Holder(LockHolder? h) => new
    {
        command = h?.Command,
        pid = h?.Pid,
        host = h?.Host,
        since = h?.Since.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
    };
}

using System.CommandLine;
using Autotune.Rewrite;
using Autotune.Search;
using Autotune.Study;
using Autotune.Train;
using Autotune.Tune;

namespace Autotune.Cli;

/// <summary>
/// `autotune apply &lt;model-dir&gt; (--values k=v,... | --trial N | --best) [--study S] [--dry-run]`: write values
/// into the model's hyperparameter block; this is how the best values of a study reach the repository.
/// Code without a block gets the block `init` lifts, with the values, and its literals become uses of it.
/// </summary>
public static class ApplyCommand
{
    public sealed record Options(string ModelDir, string? Values, bool DryRun, int? Trial = null, bool Best = false, string? Study = null);

    public static Command Create()
    {
        var modelDir = new Argument<string>("model-dir") { Description = "Folder of the model project" };
        var values = new Option<string>("--values")
        {
            Description = "name=value pairs separated by commas, e.g. Filters=32,LearningRate=0.0005,Pooling=avg (quote a value to hold commas)",
        };
        var trial = new Option<int?>("--trial") { Description = "The values of this trial of the study" };
        var best = new Option<bool>("--best") { Description = "The values of the study's best completed trial" };
        var study = new Option<string?>("--study") { Description = "Study name for --trial and --best (default: the project's name)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the change as a unified diff and write nothing" };
        var command = new Command("apply", "Write hyperparameter values into the model's [Hyperparameters] block, changing nothing else (code without a block: the block init lifts, and its uses)")
        {
            modelDir, values, trial, best, study, dryRun,
        };
        command.Validators.Add(r =>
        {
            var given = (r.GetValue(values) is not null ? 1 : 0) + (r.GetValue(trial) is not null ? 1 : 0) + (r.GetValue(best) ? 1 : 0);
            if (given != 1) r.AddError("apply takes exactly one of --values, --trial N, --best");
        });
        command.SetAction(parse => Run(new Options(parse.GetValue(modelDir)!, parse.GetValue(values), parse.GetValue(dryRun),
                parse.GetValue(trial), parse.GetValue(best), parse.GetValue(study)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(Options o, TextWriter output, TextWriter error)
    {
        // A model without a block gets the block init lifts, with these values: the block file and every use are written.
        var model = TunableModel.Resolve(o.ModelDir);
        // Values from the study, written: the study's one writer, so a run still going (which applies its own best at its end) finishes first.
        var storePath = ModelProject.Open(o.ModelDir).StudyStorePath;
        using var held = o.Values is null && !o.DryRun && File.Exists(storePath)
            ? StudyLock.Acquire(storePath, "apply", line => output.WriteLine($"autotune: {line}"))
            : null;
        var (assignment, trial) = o.Values is not null ? (model.Parse(o.Values), (int?)null) : FromStudy(o, model);
        var rewrites = model.WriteIntoModel(assignment, o.DryRun);
        var diff = UnifiedDiff.Of(model.ModelDir, rewrites);
        var where = model.Block is { } block ? block.File : $"{model.Lifted!.BlockFile} and {rewrites.Count - 1} edited file(s)";
        if (o.DryRun) output.Write(diff);
        else if (diff.Length == 0) output.WriteLine($"{where}: already has these values; nothing written");
        else
        {
            output.WriteLine($"{where}: wrote {assignment}");
            if (trial is not null) RecordApplied(o, model, trial.Value, diff);
        }
        return ExitCodes.Success;
    }

    /// <summary>The values of a trial of the study (or of its best completed trial) in the model's store, and its number.</summary>
    private static (Assignment, int?) FromStudy(Options o, TunableModel model)
    {
        using var store = OpenStudy(o, out var study);
        var trials = store.Trials(study);
        var constraints = StudyConstraints.Of(study);
        var completed = trials.Where(t => t.State == TrialState.Completed && t.Value is not null).ToList();
        // The same best as run's: with secondary objectives, the lowest by them of the trials on target.
        var chosen = o.Best
            ? TrialObjectives.Best(trials, Target.Parse(study.Target), constraints, StudyObjectives.Of(study))
                ?? throw AutotuneException.Invalid(completed.Count == 0
                    ? $"study '{study.Name}' has no completed trial yet"
                    : $"study '{study.Name}' has no feasible trial: all {completed.Count} completed trial(s) broke {constraints.Describe()}; apply one anyway with --trial N")
            : trials.FirstOrDefault(t => t.Number == o.Trial)
                ?? throw AutotuneException.Invalid($"study '{study.Name}' has no trial {o.Trial} (it has 1..{trials.Count})");
        var names = model.Space.Parameters.Select(p => p.Name).ToHashSet();
        if (!chosen.Values.Values.Keys.All(names.Contains))
            throw AutotuneException.Invalid($"{model.ClassName}: the model no longer has every parameter of trial {chosen.Number}: apply --values instead");
        // The values that gave the trial's value: with the epoch count it was measured at, when it stopped before its last.
        return (LongTrials.AsMeasured(chosen, model.Space, Target.Parse(study.Target).Metric), chosen.Number);
    }

    /// <summary>The study remembers what was written, so a report made later shows the diff.</summary>
    private static void RecordApplied(Options o, TunableModel model, int trial, string diff)
    {
        using var store = OpenStudy(o, out var study);
        store.AddEvent(study, trial, SourceChange.Applied, diff);
    }

    private static StudyStore OpenStudy(Options o, out StudyInfo study)
    {
        var project = ModelProject.Open(o.ModelDir);
        var path = project.StudyStorePath;
        StudyStore.RequireExisting(path, $"run `autotune run {o.ModelDir}` first, or pass --values");
        var store = StudyStore.Open(path);
        var name = o.Study ?? project.Name;
        var found = store.FindStudy(name);
        if (found is null)
        {
            var names = string.Join(", ", store.StudyNames());
            store.Dispose();
            throw AutotuneException.Invalid($"{path} has no study '{name}' (it has: {names}); pass --study");
        }
        study = found;
        return store;
    }
}

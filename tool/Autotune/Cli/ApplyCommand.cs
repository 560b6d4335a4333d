using System.CommandLine;
using Autotune.Detect;
using Autotune.Rewrite;
using Autotune.Search;
using Autotune.Study;
using Autotune.Train;

namespace Autotune.Cli;

/// <summary>
/// `autotune apply &lt;model-dir&gt; (--values k=v,... | --trial N | --best) [--study S] [--dry-run]`: write values
/// into the model's hyperparameter block; this is how the best values of a study reach the repository.
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
        var command = new Command("apply", "Write hyperparameter values into the model's [Hyperparameters] block, changing nothing else in the file")
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
        var profile = ModelDetector.Detect(o.ModelDir);
        if (profile.HasErrors)
        {
            foreach (var e in profile.Errors) error.WriteLine($"autotune: {e}");
            return ExitCodes.InvalidInput;
        }
        var block = profile.Block ?? throw AutotuneException.Invalid($"{o.ModelDir} has no [Hyperparameters] class: declare one to hold the values");
        var assignment = o.Values is not null ? AssignmentText.Parse(o.Values, block) : FromStudy(o, block);
        var template = BlockTemplate.ForModel(profile.ModelDir);
        var rewrite = o.DryRun ? BlockRewriter.Plan(block, assignment, template) : BlockRewriter.ApplyToFile(block, assignment, template);
        if (o.DryRun) output.Write(UnifiedDiff.Of(block.File, rewrite.Before, rewrite.After));
        else output.WriteLine(rewrite.Changes ? $"{block.File}: wrote {assignment}" : $"{block.File}: already has these values; nothing written");
        return ExitCodes.Success;
    }

    /// <summary>The values of a trial of the study (or of its best completed trial) in the model's store.</summary>
    private static Assignment FromStudy(Options o, HyperparameterBlock block)
    {
        var project = ModelProject.Open(o.ModelDir);
        var path = project.StudyStorePath;
        if (!File.Exists(path)) throw AutotuneException.Invalid($"{path} does not exist: run `autotune run {o.ModelDir}` first, or pass --values");
        using var store = StudyStore.Open(path);
        var name = o.Study ?? project.Name;
        var study = store.FindStudy(name) ?? throw AutotuneException.Invalid($"{path} has no study '{name}' (it has: {string.Join(", ", store.StudyNames())}); pass --study");
        var trials = store.Trials(study);
        var direction = Target.Parse(study.Target).Direction;
        var chosen = o.Best
            ? trials.Where(t => t.State == TrialState.Completed && t.Value is not null)
                .OrderByDescending(t => direction.Score(t.Value!.Value)).ThenBy(t => t.Number).FirstOrDefault()
                ?? throw AutotuneException.Invalid($"study '{name}' has no completed trial yet")
            : trials.FirstOrDefault(t => t.Number == o.Trial)
                ?? throw AutotuneException.Invalid($"study '{name}' has no trial {o.Trial} (it has 1..{trials.Count})");
        var names = block.Parameters.Select(p => p.Name).ToHashSet();
        if (!chosen.Values.Values.Keys.All(names.Contains))
            throw AutotuneException.Invalid($"{block.File}: the block no longer has every parameter of trial {chosen.Number}: apply --values instead");
        return chosen.Values;
    }
}

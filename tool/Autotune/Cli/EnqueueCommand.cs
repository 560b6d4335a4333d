using System.CommandLine;
using Autotune.Rewrite;
using Autotune.Study;
using Autotune.Train;
using Autotune.Tune;

namespace Autotune.Cli;

/// <summary>
/// `autotune enqueue &lt;model-dir&gt; --values name=value,... --target ...`: a configuration to try first, as
/// Optuna's enqueue_trial. The trial is queued in the study; the next `run` trains queued trials before it
/// asks the strategy for new ones, and the strategy sees them as running, so it proposes around them.
/// Values left out take the code's own. A configuration the study already holds is not queued twice.
/// </summary>
public static class EnqueueCommand
{
    public static Command Create()
    {
        var modelDir = new Argument<string>("model-dir") { Description = "Folder of the model project" };
        var values = new Option<string>("--values") { Description = "The configuration, name=value,... (parameters left out keep the code's values)", Required = true };
        var target = new Option<string?>("--target") { Description = "Goal such as \"accuracy>=0.99\" (or \"target\" in autotune.json); must match the study's" };
        var constraint = Shared.Constraint();
        var minimize = Shared.Minimize();
        var study = new Option<string?>("--study") { Description = "Study name (default: the project's name)" };
        var command = new Command("enqueue", "Queue a configuration for the study's next run to train first") { modelDir, values, target, constraint, minimize, study };
        command.SetAction(parse =>
        {
            var project = ModelProject.Open(parse.GetValue(modelDir)!);
            var settings = RunCommand.Merge(SettingsFile.Load(project.Folder), parse.GetValue(target), null, null,
                null, null, null, null, null, parse.GetValue(study), apply: false, asha: null,
                constraints: parse.GetValue(constraint), minimize: parse.GetValue(minimize));
            return Run(project, settings, parse.GetValue(values)!, parse.InvocationConfiguration.Output);
        });
        return command;
    }

    public static int Run(ModelProject project, TuneSettings settings, string valuesText, TextWriter output)
    {
        var model = TunableModel.Resolve(project.Folder, settings.Init);
        var given = model.Parse(valuesText);
        foreach (var (name, value) in given.Values)
        {
            var parameter = model.Space[name];
            if (!parameter.Domain.Contains(value))
                throw AutotuneException.Invalid($"--values: {name}={Autotune.Search.SearchValue.Format(value)} is outside its space {StudyEngine.Describe(parameter)}; widen it in the block or autotune.json's \"space\"");
        }
        var values = model.WithCodeValues(given);

        using var held = StudyLock.Acquire(project.StudyStorePath, "enqueue", line => output.WriteLine($"autotune: {line}"));
        using var store = StudyStore.Open(project.StudyStorePath, write: true);
        var engine = StudyEngine.Open(store, settings.StudyName ?? project.Name, project.Folder, model.Space, settings);
        var (trial, added) = engine.Enqueue(values);
        output.WriteLine(added
            ? $"queued trial {trial.Number}: {AssignmentText.Format(trial.Values)} (the next `autotune run` trains it first)"
            : $"study '{engine.Study.Name}' already holds these values as trial {trial.Number} ({trial.State.ToString().ToLowerInvariant()}): nothing queued");
        return ExitCodes.Success;
    }
}

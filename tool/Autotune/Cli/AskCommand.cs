using System.CommandLine;
using System.Text.Json;
using Autotune.Detect;
using Autotune.Rewrite;
using Autotune.Search;
using Autotune.Study;
using Autotune.Train;
using Autotune.Tune;

namespace Autotune.Cli;

/// <summary>
/// `autotune ask &lt;model-dir&gt; --target ... [--count N]`: the study's next trials, queued in the store,
/// for a controller that runs them elsewhere (`autotune train --values ...`) and hands them back with
/// `autotune tell`. The contract is docs/ask-tell.md.
/// </summary>
public static class AskCommand
{
    public const string Schema = "autotune.ask/1";

    public static Command Create()
    {
        var modelDir = new Argument<string>("model-dir") { Description = "Folder of the model project" };
        var target = new Option<string?>("--target") { Description = "Goal such as \"accuracy>=0.99\" (or \"target\" in autotune.json); must match the study's" };
        var constraint = Shared.Constraint();
        var minimize = Shared.Minimize();
        var count = new Option<int>("--count") { Description = "Trials to propose at most (default 1)", DefaultValueFactory = _ => 1 };
        count.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--count must be at least 1"); });
        var maxTrials = new Option<int?>("--max-trials") { Description = "Trials the study may have in all (default 20)" };
        var maxEpochs = new Option<int?>("--max-epochs") { Description = "Epochs each trial may train; printed as the trial's epochs" };
        var strategy = new Option<string?>("--strategy") { Description = $"{string.Join(", ", Strategies.Names)} (default {Strategies.Default})" };
        var seed = new Option<int?>("--seed") { Description = "Seed of the search and of every trial (default 0)" };
        var study = new Option<string?>("--study") { Description = "Study name (default: the project's name)" };
        var json = new Option<bool>("--json") { Description = $"JSON ({Schema}) instead of lines" };
        var command = new Command("ask", "Queue the study's next trials and print them, for trials run elsewhere and reported with `tell`")
        {
            modelDir, target, constraint, minimize, count, maxTrials, maxEpochs, strategy, seed, study, json,
        };
        command.SetAction(parse =>
        {
            var project = ModelProject.Open(parse.GetValue(modelDir)!);
            var settings = RunCommand.Merge(SettingsFile.Load(project.Folder), parse.GetValue(target), parse.GetValue(maxTrials), parse.GetValue(maxEpochs),
                null, parse.GetValue(strategy), parse.GetValue(seed), null, null, parse.GetValue(study), apply: false, asha: null,
                constraints: parse.GetValue(constraint), minimize: parse.GetValue(minimize));
            return Run(project, settings, parse.GetValue(count), parse.GetValue(json), parse.InvocationConfiguration.Output);
        });
        return command;
    }

    public static int Run(ModelProject project, TuneSettings settings, int count, bool json, TextWriter output)
    {
        var model = TunableModel.Resolve(project.Folder, settings.Init);

        // One writer per study: a run, or another ask or tell, finishes first. With --json the wait goes unsaid: stdout stays
        // JSON, and stderr holds one line if the wait ends in a refusal.
        using var held = StudyLock.Acquire(project.StudyStorePath, "ask", json ? null : line => output.WriteLine($"autotune: {line}"));
        using var store = StudyStore.Open(project.StudyStorePath, write: true);
        var engine = StudyEngine.Open(store, settings.StudyName ?? project.Name, project.Folder, model.Space, settings);
        var proposed = new List<StoredTrial>();
        while (proposed.Count < count && engine.Propose() is { } trial) proposed.Add(trial);

        var trials = engine.Trials();
        var outstanding = trials.Count(t => t.State is TrialState.Queued or TrialState.Running) - proposed.Count;
        var status = proposed.Count > 0 ? "proposed"
            : engine.TargetReached(trials) ? "target-reached"
            : engine.BudgetSpent(trials) ? "budget-spent"
            : outstanding > 0 ? "waiting" // nothing new until trials still out are told
            : "exhausted"; // the strategy has nothing more to propose
        if (json)
            output.WriteLine(JsonSerializer.Serialize(new
            {
                schema = Schema,
                study = engine.Study.Name,
                target = engine.Study.Target,
                // The study's constraints as written: a controller passes the same ones on every ask (another set is refused).
                constraints = engine.Constraints.Select(c => c.ToString()).ToArray(),
                // Its secondary objectives, in order: passed the same way on every ask, as the constraints are.
                minimize = engine.Minimize.ToArray(),
                status,
                outstanding,
                trials = proposed.Select(t => new
                {
                    number = t.Number,
                    values = AssignmentText.Format(t.Values),
                    parameters = t.Values.Values.ToDictionary(kv => kv.Key, kv => kv.Value),
                    seed = settings.Seed,
                    epochs = settings.MaxEpochs,
                    trialDir = StudyRunner.TrialFolder(project, engine.Study, t.Number),
                }),
            }, new JsonSerializerOptions { WriteIndented = true }));
        else
        {
            foreach (var t in proposed)
                output.WriteLine($"trial {t.Number}: {AssignmentText.Format(t.Values)}");
            if (proposed.Count == 0) output.WriteLine($"{status}: no trial proposed ({outstanding} still queued or running)");
        }
        return status is "budget-spent" or "exhausted" ? ExitCodes.TargetMissed : ExitCodes.Success;
    }
}

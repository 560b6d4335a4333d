using System.CommandLine;
using System.Globalization;
using Autotune.Notify;
using Autotune.Report;
using Autotune.Search;
using Autotune.Study;
using Autotune.Train;
using Autotune.Train.Metrics;
using Autotune.Train.Worker;
using Autotune.Tune;

namespace Autotune.Cli;

/// <summary>`autotune run &lt;model-dir&gt; --target ...`: tune until the target is reached or the budget is spent.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var modelDir = new Argument<string>("model-dir") { Description = "Folder of the model project" };
        var target = new Option<string?>("--target") { Description = "Goal such as \"accuracy>=0.99\" or \"loss<0.05\" (or \"target\" in autotune.json)" };
        var constraint = Shared.Constraint();
        var minimize = Shared.Minimize();
        var maxTrials = new Option<int?>("--max-trials") { Description = "Trials at most (default 20)" };
        var maxEpochs = new Option<int?>("--max-epochs") { Description = "Epochs each trial may train (default: the block's own epoch count)" };
        var epochBudget = new Option<int?>("--epoch-budget") { Description = "Epochs all trials together may train; no new trial starts once they are spent (default: no such limit; with it and no --max-trials, trials are not counted)" };
        var timeout = new Option<double?>("--timeout") { Description = "Seconds the whole study may take; the running trial stops at its next epoch" };
        var strategy = new Option<string?>("--strategy") { Description = $"{string.Join(", ", Strategies.Names)} (default {Strategies.Default})" };
        var seed = new Option<int?>("--seed") { Description = "Seed of the search and of every trial (default 0)" };
        var device = new Option<string?>("--device") { Description = "auto, cpu, cuda or cuda:N (default auto)" };
        var retries = new Option<int?>("--retries") { Description = "Restarts from the last checkpoint when a trial's program dies (default 2)" };
        var study = new Option<string?>("--study") { Description = "Study name (default: the project's name); the same name resumes" };
        var fromStudy = new Option<string?>("--from-study") { Description = "Start a new study from the finished trials of the study in another model folder that fit this space (same metric and direction)" };
        var parallel = new Option<int?>("--parallel") { Description = "Trials run at once on this machine, each in its own workspace copy (default 1)" };
        var noApply = new Option<bool>("--no-apply") { Description = "Do not write the best values into the source" };
        var noInit = new Option<bool>("--no-init") { Description = "Refuse a model without a [Hyperparameters] block instead of tuning the literals init would lift" };
        var noWorker = new Option<bool>("--no-worker") { Description = "Start each trial's program as a new process instead of in the trial worker that stays alive across trials" };
        var noAsha = new Option<bool>("--no-asha") { Description = "Train every trial to its end (no early stopping by successive halving)" };
        var searchEpochs = new Option<bool>("--search-epochs") { Description = "Search the epoch count like any other value (default: every trial after the code's own values trains the most epochs its range allows, and early stopping ends it)" };
        var notify = new Option<string?>("--notify") { Description = "Mail the report to these recipients at the end (comma-separated); SMTP settings as for `autotune notify`" };
        var notifyOn = new Option<string>("--notify-on") { Description = "success, failure or always", DefaultValueFactory = _ => "always" };
        notifyOn.Validators.Add(r => { if (NotifyWhenRules.Parse(r.GetValueOrDefault<string>() ?? "") is null) r.AddError($"--notify-on '{r.GetValueOrDefault<string>()}' is not one of success, failure, always"); });
        var (smtpOptions, smtpGiven) = NotifyCommand.SmtpOptions();
        var command = new Command("run", "Tune the model's hyperparameters until the target is reached or the budget is spent, then write the best values back")
        {
            modelDir, target, constraint, minimize, maxTrials, maxEpochs, epochBudget, timeout, strategy, seed, device, retries, study, fromStudy, parallel, noApply, noInit, noAsha, searchEpochs, noWorker, notify, notifyOn,
        };
        var runnerFlags = new RunnerFlags();
        runnerFlags.AddTo(command);
        foreach (var o in smtpOptions) command.Options.Add(o);
        command.SetAction(async (parse, cancel) =>
        {
            var project = ModelProject.Open(parse.GetValue(modelDir)!);
            var file = SettingsFile.Load(project.Folder);
            var settings = Merge(file, parse.GetValue(target), parse.GetValue(maxTrials), parse.GetValue(maxEpochs), parse.GetValue(timeout),
                parse.GetValue(strategy), parse.GetValue(seed), parse.GetValue(device), parse.GetValue(retries), parse.GetValue(study),
                !parse.GetValue(noApply), parse.GetValue(noAsha) ? false : null, parse.GetValue(parallel), parse.GetValue(epochBudget), parse.GetValue(constraint),
                parse.GetValue(minimize));
            settings = settings with
            {
                Output = ProgramOutput.ForProject(project, file.Metrics, file.MetricsFile, SettingsFile.PathIn(project.Folder)),
                Init = !parse.GetValue(noInit),
                FromStudy = parse.GetValue(fromStudy),
                LongTrials = !(parse.GetValue(searchEpochs) || file.SearchEpochs == true),
                BuildCache = BuildCache.FromEnvironment(),
            };
            var output = parse.InvocationConfiguration.Output;
            var studyName = settings.StudyName ?? project.Name;
            IRunner runner = runnerFlags.Read(parse, file) is { } container
                ? await ContainerRunner.CreateAsync(project, container, new ProgressDisplay(output, ProgressDisplay.IsInteractive, "run"), cancel,
                    studyName, project.StudyStorePath)
                : parse.GetValue(noWorker) || file.Worker == false ? new ProcessRunner() : new WorkerRunner();
            StudyOutcome outcome;
            try
            {
                outcome = await new StudyRunner(project, settings, new RestartsRecorded(runner, project.StudyStorePath, studyName), output).RunAsync(cancel);
            }
            finally
            {
                (runner as IDisposable)?.Dispose(); // the trial workers end with the study
            }
            TrialTable.Write(output, outcome.Trials, settings.Target, settings.ConstraintList, settings.MinimizeList);
            var best = outcome.Best;
            output.WriteLine(best is null
                ? NoBest(outcome, settings.ConstraintList)
                : string.Create(CultureInfo.InvariantCulture,
                    $"{(outcome.TargetReached ? "target reached" : "target not reached")} ({outcome.Reason}): best trial {best.Number}, {settings.Target.Metric} {ReportFormat.Number(best.Value, settings.Target)}{SecondaryValues(best, settings.MinimizeList)}: {outcome.BestValues ?? best.Values}"));
            if (settings.MinimizeList.Count > 0) output.WriteLine(FrontLine(outcome.Trials, settings));
            if (outcome.Applied) output.WriteLine($"best values written into {project.Folder}");
            else if (outcome.Change is not null)
                output.WriteLine($"your files are unchanged: `autotune apply {project.Folder} --best` writes the lifted block and these values (the diff is in the report)");
            var code = outcome.TargetReached ? ExitCodes.Success : ExitCodes.TargetMissed;

            // The report is written for every run; the mail goes last and can never erase the run's result.
            var report = StudyReport.From(outcome.Study, outcome.Trials, DateTimeOffset.UtcNow,
                outcome.Change is { } diff ? new SourceChange(diff, outcome.Applied) : null);
            var templates = ReportTemplates.For(project.Folder, null);
            var written = ReportWriter.Write(report, ReportSource.DefaultFolder(project.Folder), templates);
            output.WriteLine($"report: {written.Html}");
            if (parse.GetValue(notify) is { } to)
            {
                NotifyOptions mail;
                try
                {
                    mail = new NotifyOptions(NotifyOptions.ParseRecipients(to), NotifyWhenRules.Parse(parse.GetValue(notifyOn)!)!.Value,
                        SmtpSettings.Resolve(smtpGiven(parse), Environment.GetEnvironmentVariable));
                }
                catch (AutotuneException e)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"autotune: notify not sent, the run's result stands: {CommandLine.OneLine(e.Message)}");
                    return code == ExitCodes.Success ? e.ExitCode : code;
                }
                code = await Notifier.AfterRunAsync(mail, report, templates, code, output, parse.InvocationConfiguration.Error, cancel);
            }
            return code;
        });
        return command;
    }

    /// <summary>The last line when no trial is the best: none completed, or every completed one broke a constraint.</summary>
    public static string NoBest(StudyOutcome outcome, IReadOnlyList<Constraint> constraints)
    {
        var completed = outcome.Trials.Where(t => t.State == TrialState.Completed && t.Value is not null).ToList();
        if (completed.Count == 0 || constraints.Count == 0) return $"no trial completed ({outcome.Reason})";
        var first = completed[0];
        return $"target not reached ({outcome.Reason}): no feasible trial, all {completed.Count} completed trial(s) broke {constraints.Describe()} "
            + $"(trial {first.Number}: {string.Join(", ", first.Broken(constraints))}): loosen the constraint or widen the search toward smaller models";
    }

    /// <summary>", params 12345" after the best trial's value: what picked it among the trials on target ("-" where unreported).</summary>
    public static string SecondaryValues(StoredTrial trial, IReadOnlyList<string> minimize) =>
        string.Concat(minimize.Select(m => $", {m} {(trial.LastMetrics() is { } last && last.TryGetValue(m, out var v) ? ReportFormat.Number(v) : "-")}"));

    /// <summary>"pareto front (accuracy, params): trials 4, 2": the trials no other beats on every objective, best value first.</summary>
    public static string FrontLine(IReadOnlyList<StoredTrial> trials, TuneSettings settings)
    {
        var front = TrialObjectives.Front(trials, settings.Target, settings.ConstraintList, settings.MinimizeList);
        return $"pareto front ({settings.Target.Metric}, {string.Join(", ", settings.MinimizeList)}): "
            + (front.Count == 0 ? "no trial counts yet" : $"trial{(front.Count == 1 ? "" : "s")} {string.Join(", ", front)}");
    }

    public static TuneSettings Merge(SettingsFile file, string? target, int? maxTrials, int? maxEpochs, double? timeout, string? strategy,
        int? seed, string? device, int? retries, string? study, bool apply, bool? asha, int? parallel = null, int? epochBudget = null,
        IReadOnlyList<string>? constraints = null, IReadOnlyList<string>? minimize = null)
    {
        var targetText = target ?? file.Target
            ?? throw AutotuneException.Invalid("no target: pass --target \"accuracy>=0.99\" or put \"target\" in autotune.json");
        Target parsed;
        try { parsed = Target.Parse(targetText); }
        catch (ArgumentException e) { throw AutotuneException.Invalid(e.Message); }
        var bounds = ReadConstraints(constraints is { Count: > 0 } ? constraints : file.Constraints ?? [], parsed);
        var secondary = ReadMinimize(minimize is { Count: > 0 } ? minimize : file.Minimize ?? [], parsed);
        var strategyName = strategy ?? file.Strategy ?? Strategies.Default;
        if (!Strategies.Names.Contains(strategyName))
            throw AutotuneException.Invalid($"unknown strategy '{strategyName}': use one of {string.Join(", ", Strategies.Names)}");
        var deviceName = device ?? file.Device ?? "auto";
        if (!Shared.IsDevice(deviceName)) throw AutotuneException.Invalid($"--device '{deviceName}' is not one of auto, cpu, cuda, cuda:N");
        var epochs = maxEpochs ?? file.MaxEpochs;
        if (epochs is < 1) throw AutotuneException.Invalid("--max-epochs must be at least 1");
        var totalEpochs = epochBudget ?? file.EpochBudget;
        if (totalEpochs is < 1) throw AutotuneException.Invalid("--epoch-budget must be at least 1");
        // An epoch budget alone bounds the study; 20 trials is the default only when nothing else does.
        var trials = maxTrials ?? file.MaxTrials ?? (totalEpochs is null ? 20 : TuneSettingsBudget.NoTrialLimit);
        if (trials < 1) throw AutotuneException.Invalid("--max-trials must be at least 1");
        var seconds = timeout ?? file.TimeoutSeconds;
        if (seconds is { } given && !(given > 0 && given < 1e9)) throw AutotuneException.Invalid("--timeout must be a positive number of seconds below 1e9");
        var restarts = retries ?? file.Retries ?? 2;
        if (restarts < 0) throw AutotuneException.Invalid("--retries must be 0 or more");
        var slots = parallel ?? file.Parallel ?? 1;
        if (slots < 1) throw AutotuneException.Invalid("--parallel must be at least 1");
        return new TuneSettings(parsed, trials, epochs, seconds is { } s ? TimeSpan.FromSeconds(s) : null, strategyName,
            seed ?? file.Seed ?? 0, deviceName, restarts, apply, asha ?? file.Asha ?? true,
            StudyName: study ?? file.Study, Parallel: slots, EpochBudget: totalEpochs, Constraints: bounds, Minimize: secondary);
    }

    /// <summary>
    /// The secondary objectives given (flags, else autotune.json), each flag one name or several separated by commas, in
    /// order and without repeats; the target's own metric is refused: the target already says which way it should go.
    /// </summary>
    public static IReadOnlyList<string> ReadMinimize(IReadOnlyList<string> texts, Target target)
    {
        var read = new List<string>();
        foreach (var name in texts.SelectMany(t => t.Split(',')).Select(n => n.Trim()))
        {
            if (!Target.IsMetricName(name))
                throw AutotuneException.Invalid($"--minimize \"{name}\" is no metric name: use letters, digits, '_', '.', '/' or '-', starting with a letter or '_', such as params or latency_ms");
            if (name == target.Metric)
                throw AutotuneException.Invalid($"--minimize {name} is the target's own metric: the target \"{target}\" already says which way it goes; minimize another metric such as params");
            if (!read.Contains(name)) read.Add(name);
        }
        return read;
    }

    /// <summary>The constraints given (flags, else autotune.json), read; one on the target's own metric is refused: the target already bounds it.</summary>
    public static IReadOnlyList<Constraint> ReadConstraints(IReadOnlyList<string> texts, Target target)
    {
        var read = new List<Constraint>();
        foreach (var text in texts)
        {
            Constraint c;
            try { c = Constraint.Parse(text); }
            catch (ArgumentException e) { throw AutotuneException.Invalid(e.Message); }
            if (c.Metric == target.Metric)
                throw AutotuneException.Invalid($"--constraint \"{text}\" bounds '{c.Metric}', the target's own metric: tighten --target \"{target}\" instead, or constrain another metric such as params");
            if (!read.Contains(c)) read.Add(c);
        }
        return read;
    }
}

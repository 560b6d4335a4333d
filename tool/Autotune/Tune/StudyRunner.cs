using System.Diagnostics;
using System.Globalization;
using Autotune.Cli;
using Autotune.Detect;
using Autotune.Rewrite;
using Autotune.Search;
using Autotune.Study;
using Autotune.Train;
using Autotune.Train.Metrics;

namespace Autotune.Tune;

/// <summary>How a study ended.</summary>
public sealed record StudyOutcome(StudyInfo Study, IReadOnlyList<StoredTrial> Trials, StoredTrial? Best, bool TargetReached, string Reason, bool Applied);

/// <summary>
/// The tune loop of DESIGN.md: propose, rewrite, build, train, record, decide, until the target is
/// reached or the budget is spent. Every step is recorded before the next begins, so running the
/// same command after the controller was killed resumes the study: the trial that was running
/// continues from its checkpoint, and no trial is lost or run twice.
/// </summary>
public sealed class StudyRunner(ModelProject project, TuneSettings settings, IRunner runner, TextWriter output)
{
    public string StorePath => project.StudyStorePath;

    public async Task<StudyOutcome> RunAsync(CancellationToken cancel)
    {
        var profile = ModelDetector.Detect(project.Folder);
        if (profile.Errors.FirstOrDefault() is { } error)
            throw AutotuneException.Invalid($"{error.File}:{error.Line}:{error.Column}: {error.Message}");
        var block = profile.Block ?? throw AutotuneException.Invalid(
            $"{project.Folder}: no [Hyperparameters] block found: declare one (see README), or run `autotune init {project.Folder}` to lift literals into one");
        var space = block.SearchSpace;
        var strategy = Strategies.Create(settings.Strategy);

        using var store = StudyStore.Open(StorePath);
        var name = settings.StudyName ?? project.Name;
        var study = store.FindStudy(name);
        if (study is null)
            study = store.CreateStudy(name, project.Folder, space, settings.Target.ToString(), strategy.Name, settings.Seed, "{}");
        else if (!study.Space.Equals(space) || study.Target != settings.Target.ToString())
            throw AutotuneException.Invalid($"{StorePath}: study '{name}' was made for another search space or target ({study.Target}): pass --study with a new name to start a new study");
        else
            output.WriteLine($"[run] resuming study '{name}' ({store.Trials(study).Count} trial(s) so far)");

        output.WriteLine($"[run] study '{name}': target {settings.Target}, strategy {strategy.Name}, seed {settings.Seed}, at most {settings.MaxTrials} trial(s)");
        output.WriteLine($"[run] search space: {string.Join(", ", space.Parameters.Select(Describe))}");
        var workspace = TrialWorkspace.Prepare(project, Path.Combine(project.StateFolder, "workspace"));
        var asha = settings.Asha ? new AshaScheduler(1, 3, settings.MaxEpochs) : null;
        var clock = Stopwatch.StartNew();
        string reason;
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            var trials = store.Trials(study);
            if (trials.Any(t => t.Value is { } v && t.State == TrialState.Completed && settings.Target.IsReachedBy(v)))
            { reason = "target reached"; break; }
            var resumable = trials.FirstOrDefault(t => t.State is TrialState.Running or TrialState.Queued);
            if (resumable is null && trials.Count >= settings.MaxTrials) { reason = $"budget spent: {settings.MaxTrials} trial(s)"; break; }
            if (settings.Timeout is { } limit && clock.Elapsed > limit) { reason = $"budget spent: timeout of {limit}"; break; }
            if (trials.Count(t => t.State == TrialState.Failed) >= 3 && trials.All(t => t.State is TrialState.Failed or TrialState.Running or TrialState.Queued))
                throw new AutotuneException(ExitCodes.ModelFailed, $"the first {trials.Count} trials all failed; last: {trials.Last(t => t.Error is not null).Error}");

            var trial = resumable;
            if (trial is null)
            {
                var history = trials.Select(t => ToSearch(t, settings.Target)).ToList();
                var proposal = strategy.Propose(space, history, StudyHistory.RandomFor(settings.Seed, trials.Count + 1));
                if (proposal is null) { reason = $"the {strategy.Name} strategy has nothing more to propose"; break; }
                trial = store.AddTrial(study, proposal);
            }
            await RunTrialAsync(store, study, block, workspace, trial, asha, clock, cancel);
        }

        var final = store.Trials(study);
        var best = final.Where(t => t.State == TrialState.Completed && t.Value is not null)
            .OrderByDescending(t => settings.Target.Direction.Score(t.Value!.Value)).ThenBy(t => t.Number).FirstOrDefault();
        var reached = best?.Value is { } bv && settings.Target.IsReachedBy(bv);
        store.AddEvent(study, best?.Number, "study", $"ended: {reason}");
        var applied = false;
        if (settings.Apply && best is not null && !best.Values.Equals(space.Current()))
        {
            BlockRewriter.ApplyToFile(block, best.Values, BlockTemplate.ForModel(project.Folder));
            applied = true;
        }
        return new StudyOutcome(study, final, best, reached, reason, applied);
    }

    private async Task RunTrialAsync(StudyStore store, StudyInfo study, HyperparameterBlock block, TrialWorkspace workspace,
        StoredTrial trial, AshaScheduler? asha, Stopwatch clock, CancellationToken cancel)
    {
        var folder = TrialFolder(project, study, trial.Number);
        var resumed = trial.State == TrialState.Running;
        // A trial that never ran starts clean: whatever a deleted store's trial left there is not its own.
        if (!resumed && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        if (resumed && ProcessRunner.StopLeftover(folder))
            store.AddEvent(study, trial.Number, "restart", "stopped the program a killed controller left running");
        store.MarkRunning(study, trial.Number, resumed ? "resumed after the controller stopped" : $"running: {trial.Values}");
        output.WriteLine($"[run] trial {trial.Number}{(resumed ? " (resumed)" : "")}: {trial.Values}");

        var display = new ProgressDisplay(output, ProgressDisplay.IsInteractive, $"trial {trial.Number}");
        BuiltProgram built;
        try
        {
            // The block's span is the original's: start each trial from the original file, then rewrite.
            var copy = block with { FullPath = workspace.MapToCopy(block.FullPath) };
            File.Copy(block.FullPath, copy.FullPath, overwrite: true);
            BlockRewriter.ApplyToFile(copy, trial.Values, BlockTemplate.ForModel(project.Folder));
            built = await new ProjectBuilder().BuildAsync(workspace.Copy, Path.Combine(project.StateFolder, "build"), Path.Combine(folder, "build.log"), cancel);
        }
        catch (AutotuneException e) when (e.ExitCode == ExitCodes.InvalidInput && trial.Number > 1)
        {
            // The code built with its own values (trial 1), so these values break it: a failed trial, not a failed study.
            store.Finish(study, trial.Number, TrialState.Failed, null, 0, e.Message);
            output.WriteLine($"[run] trial {trial.Number} failed: {e.Message}");
            return;
        }

        var values = new List<double>();
        var (pruned, reached, plateau) = (false, false, false);
        string? reported = null; // the metrics a program reports when the target's metric is not among them
        var plateauRule = new PlateauRule(settings.PlateauPatience, 1e-4);
        bool OnEpoch(MetricLine line)
        {
            store.RecordEpoch(study, trial.Number, line);
            // Runs on the output reader's thread: decide, never throw here.
            if (!line.Metrics.TryGetValue(settings.Target.Metric, out var value)) { reported = string.Join(", ", line.Metrics.Keys); return false; }
            while (values.Count < line.Epoch - 1) values.Add(double.NaN);
            if (values.Count >= line.Epoch) values[line.Epoch - 1] = value; else values.Add(value);
            if (settings.Target.IsReachedBy(value)) { reached = true; return false; }
            if (settings.Timeout is { } limit && clock.Elapsed > limit) return false;
            var others = store.Trials(study).Where(t => t.Number != trial.Number).Select(t => ToSearch(t, settings.Target)).ToList();
            var me = new SearchTrial(trial.Number, trial.Values, SearchTrialState.Running, null, values.ToList(), settings.Target.Direction);
            if (asha?.Decide(me, others) == TrialDecision.Stop) { pruned = true; return false; }
            if (plateauRule.Decide(values, settings.Target.Direction) == TrialDecision.Stop) { plateau = true; return false; }
            return true;
        }

        try
        {
            // A program without the SDK is read from its output; it cannot be told to stop, so it also gets the study's time left.
            var plain = settings.Output ?? ProgramOutput.ForProject(project);
            var timeLeft = settings.Timeout is { } total && plain is not null ? total - clock.Elapsed : (TimeSpan?)null;
            var result = await new TrialSupervisor(runner, display).RunAsync(built, folder,
                new TrialSettings(trial.Number, settings.Seed, settings.MaxEpochs, settings.Device, settings.Retries, settings.SilenceLimit,
                    plain, settings.Target.Metric, timeLeft > TimeSpan.Zero ? timeLeft : null), cancel, OnEpoch);
            if (result.NamesRead is not null && result.Restarts > 0)
                store.AddEvent(study, trial.Number, "restart", $"restarted from the beginning {result.Restarts} time(s): without the SDK the program saves no checkpoints");
            if (result.NamesRead is not null && values.Count == 0)
            {
                store.Finish(study, trial.Number, TrialState.Failed, null, result.Restarts, $"no metric '{settings.Target.Metric}' in the program's output");
                reported ??= "nothing"; // ends the study (below): every trial of this program would miss it too
                throw MissingMetric.From(settings.Target.Metric, result, built.Assembly);
            }
            if (reported is not null)
            {
                store.Finish(study, trial.Number, TrialState.Failed, null, result.Restarts, $"no metric '{settings.Target.Metric}'");
                throw new AutotuneException(ExitCodes.ModelFailed,
                    $"the program reports no metric '{settings.Target.Metric}' (it reports {reported}): fix --target or the program's ReportEpoch");
            }
            var final = values.Count > 0 ? values[^1] : (double?)null;
            var state = pruned ? TrialState.Pruned : TrialState.Completed;
            store.Finish(study, trial.Number, state, final, result.Restarts, null);
            var why = reached ? " (target reached)" : pruned ? " (pruned by ASHA)" : plateau ? " (stopped: no improvement)" : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[run] trial {trial.Number} {state.Name()}: {settings.Target.Metric} {final:0.####} after {result.Epochs.Count} epoch(s){why}"));
        }
        catch (AutotuneException e) when (e.ExitCode == ExitCodes.ModelFailed && reported is null)
        {
            store.Finish(study, trial.Number, TrialState.Failed, values.Count > 0 ? values[^1] : null, 0, e.Message);
            output.WriteLine($"[run] trial {trial.Number} failed: {e.Message}");
        }
    }

    /// <summary>Each study has its own trial folders, so two studies of one model never share checkpoints.</summary>
    public static string TrialFolder(ModelProject project, StudyInfo study, int number)
    {
        var safe = string.Concat(study.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        return Path.Combine(project.StateFolder, "studies", $"{safe}-{study.Id}", "trials", number.ToString("D4", CultureInfo.InvariantCulture));
    }

    /// <summary>A stored trial as the strategies see it.</summary>
    public static SearchTrial ToSearch(StoredTrial t, Target target)
    {
        var epochs = t.Metrics.OrderBy(kv => kv.Key)
            .Select(kv => kv.Value.TryGetValue(target.Metric, out var v) ? v : double.NaN).ToList();
        var state = t.State switch
        {
            TrialState.Completed => SearchTrialState.Completed,
            TrialState.Pruned => SearchTrialState.Pruned,
            TrialState.Failed => SearchTrialState.Failed,
            _ => SearchTrialState.Running,
        };
        return new SearchTrial(t.Number, t.Values, state, t.Value, epochs, target.Direction);
    }

    private static string Describe(Parameter p) => p.Domain switch
    {
        IntRange r => $"{p.Name} {r.Min}..{r.Max}{(r.Log ? " (log)" : "")}",
        RealRange r => $"{p.Name} {SearchValue.Format(r.Min)}..{SearchValue.Format(r.Max)}{(r.Log ? " (log)" : "")}",
        Choice c => $"{p.Name} {{{string.Join(", ", c.Values.Select(SearchValue.Format))}}}",
        _ => p.Name,
    };
}

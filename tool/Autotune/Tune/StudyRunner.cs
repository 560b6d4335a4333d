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
/// <param name="Change">The diff of the best values in the user's files: written when <paramref name="Applied"/>, else what `apply --best` writes; null when there is nothing to change.</param>
public sealed record StudyOutcome(StudyInfo Study, IReadOnlyList<StoredTrial> Trials, StoredTrial? Best, bool TargetReached, string Reason, bool Applied,
    string? Change = null)
{
    /// <summary>The values written for the best trial: its own, with the epoch count it was measured at (<see cref="LongTrials.AsMeasured"/>).</summary>
    public Assignment? BestValues { get; init; }
}

/// <summary>
/// The tune loop of DESIGN.md: propose, rewrite, build, train, record, decide, until the target is
/// reached or the budget is spent. Every step is recorded before the next begins, so running the
/// same command after the controller was killed resumes the study: the trial that was running
/// continues from its checkpoint, and no trial is lost or run twice.
/// </summary>
public sealed class StudyRunner(ModelProject project, TuneSettings settings, IRunner runner, TextWriter output)
{
    public string StorePath => project.StudyStorePath;
    // One per slot: a Roslyn builder compiles the sources of the workspace its first build saw, and reuses its references.
    private readonly Dictionary<int, ITrialBuilder> builders = [];
    // How a program without the SDK is read (null: it uses the SDK): autotune.json's, or the metrics file its code writes.
    private ProgramOutput? plain;

    public async Task<StudyOutcome> RunAsync(CancellationToken cancel)
    {
        var model = TunableModel.Resolve(project.Folder, settings.Init);
        var space = model.Space;
        // Trials running side by side write lines from several threads.
        var log = settings.Parallel > 1 ? TextWriter.Synchronized(output) : output;
        if (model.Lifted is not null) log.Write(model.DescribeLifted());

        // One controller per study: a second run waits a little, then exits 5 naming this one; a killed one's lock is taken over.
        using var held = StudyLock.Acquire(StorePath, "run", line => log.WriteLine($"[run] {line}"));
        if (held.TookOverFrom is { } dead)
            log.WriteLine($"[run] the study was left by {dead}, which ended without releasing it: taking over");
        using var store = StudyStore.Open(StorePath, write: true);
        var name = settings.StudyName ?? project.Name;
        var engine = StudyEngine.Open(store, name, project.Folder, space, settings);
        if (engine.WarmStartNote is { } note) log.WriteLine($"[run] study '{name}': {note}");
        else if (engine.Resumed) log.WriteLine($"[run] resuming study '{name}' ({engine.Trials().Count} trial(s) so far)");
        // Only into a study without trials: the same command run again resumes what it took over.
        if (settings.FromStudy is { } from && engine.Trials().Count == 0) log.WriteLine($"[run] study '{name}': {engine.TakeOver(from)}");
        log.WriteLine($"[run] study '{name}': target {settings.Target}{(engine.Minimize.Count > 0 ? $", minimize {string.Join(", ", engine.Minimize)}" : "")}{(engine.Constraints.Count > 0 ? $", constraint(s) {engine.Constraints.Describe()}" : "")}, strategy {engine.StrategyName}, seed {settings.Seed}, {settings.BudgetText()}{(settings.Parallel > 1 ? $", {settings.Parallel} at once" : "")}");
        log.WriteLine($"[run] search space: {string.Join(", ", space.Parameters.Select(StudyEngine.Describe))}");
        plain = settings.Output ?? ProgramOutput.ForProject(project);
        if (plain is not null)
        {
            (plain, var metricsNote) = FoundMetricsFile.Apply(plain, model.WrittenFiles);
            if (metricsNote is not null) log.WriteLine($"[run] {metricsNote}");
        }

        // One workspace and one build folder per slot, so trials running at once never share sources or binaries.
        var slots = new Stack<int>(Enumerable.Range(0, settings.Parallel).Reverse());
        var workspaces = new Dictionary<int, TrialWorkspace>();
        var running = new Dictionary<Task, (int Slot, int Trial)>();
        var clock = Stopwatch.StartNew();
        string? reason = null;
        try
        {
            while (true)
            {
                cancel.ThrowIfCancellationRequested();
                var trials = engine.Trials();
                var busy = running.Values.Select(r => r.Trial).ToHashSet();
                if (reason is null)
                {
                    if (engine.TargetReached(trials)) reason = "target reached";
                    else if (engine.BudgetSpent(trials)) reason = $"budget spent: {engine.BudgetDescription(trials)}";
                    else if (settings.Timeout is { } limit && clock.Elapsed > limit) reason = $"budget spent: timeout of {limit}";
                    else if (trials.Count(t => t.State == TrialState.Failed) >= 3 && trials.All(t => t.State is TrialState.Failed or TrialState.Running or TrialState.Queued))
                        throw new AutotuneException(ExitCodes.ModelFailed, $"the first {trials.Count} trials all failed; last: {trials.Last(t => t.Error is not null).Error}");
                }

                // Fill free slots: trials a killed controller left first, then new proposals.
                while (reason is null && slots.Count > 0)
                {
                    var trial = trials.FirstOrDefault(t => t.State is TrialState.Running or TrialState.Queued && !busy.Contains(t.Number))
                        ?? engine.Propose();
                    if (trial is null) break;
                    var slot = slots.Pop();
                    if (!workspaces.TryGetValue(slot, out var workspace))
                        workspaces[slot] = workspace = TrialWorkspace.Prepare(project, Path.Combine(project.StateFolder, SlotName("workspace", slot)));
                    busy.Add(trial.Number);
                    if (!builders.ContainsKey(slot)) builders[slot] = new RoslynTrialBuilder(cache: settings.BuildCache);
                    running[RunTrialAsync(engine, model, workspace, builders[slot], Path.Combine(project.StateFolder, SlotName("build", slot)), trial, clock, log, cancel)] = (slot, trial.Number);
                    trials = engine.Trials();
                }

                if (running.Count == 0)
                {
                    reason ??= $"the {engine.StrategyName} strategy has nothing more to propose";
                    break;
                }
                var done = await Task.WhenAny(running.Keys);
                slots.Push(running[done].Slot);
                running.Remove(done);
                await done; // a trial's own failures are recorded inside; what reaches here ends the study
            }
        }
        finally
        {
            // A study that ends by an error still waits for its other trials, so no program is left writing.
            if (running.Count > 0) await Task.WhenAll(running.Keys).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        var final = engine.Trials();
        var best = engine.Best(final);
        var reached = best?.Value is { } bv && settings.Target.IsReachedBy(bv);
        engine.AddEvent(best?.Number, "study", $"ended: {reason}");
        // A budget spent on programs that all failed says nothing about the target: the model program failed (exit 4).
        if (final.Count > 0 && final.All(t => t.State == TrialState.Failed))
            throw new AutotuneException(ExitCodes.ModelFailed, $"all {final.Count} trial(s) failed; last: {final[^1].Error}");
        // The model's own block takes the best values at the end; a lifted block changes the code's
        // structure, so it waits for `apply --best`, and the report shows what that will write.
        string? change = null;
        var applied = false;
        var bestValues = best is null ? null : LongTrials.AsMeasured(best, space, settings.Target.Metric);
        if (bestValues is not null && !bestValues.Equals(space.Current()) && (settings.Apply || model.Lifted is not null))
        {
            var written = settings.Apply && model.Lifted is null;
            change = UnifiedDiff.Of(project.Folder, model.WriteIntoModel(bestValues, dryRun: !written));
            engine.AddEvent(best.Number, written ? SourceChange.Applied : SourceChange.Pending, change);
            applied = written;
        }
        return new StudyOutcome(engine.Study, final, best, reached, reason!, applied, change) { BestValues = bestValues };
    }

    /// <summary>Slot 0 keeps the names a single-trial run always used, so existing builds stay warm.</summary>
    private static string SlotName(string kind, int slot) => slot == 0 ? kind : $"{kind}-{slot + 1}";

    private async Task RunTrialAsync(StudyEngine engine, TunableModel model, TrialWorkspace workspace, ITrialBuilder builder, string buildFolder,
        StoredTrial trial, Stopwatch clock, TextWriter log, CancellationToken cancel)
    {
        await Task.Yield(); // the caller starts the next slot while this one builds
        var folder = TrialFolder(project, engine.Study, trial.Number);
        var resumed = trial.State == TrialState.Running;
        // A trial that never ran starts clean: whatever a deleted store's trial left there is not its own.
        if (!resumed && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        if (resumed && ProcessRunner.StopLeftover(folder))
            engine.AddEvent(trial.Number, "restart", "stopped the program a killed controller left running");
        // The folder says whose it is, so `tell` and `train --trial-dir` know it for this study's trial.
        Directory.CreateDirectory(folder);
        new TrialIdentity(project.Name, engine.Study.Name, trial.Number, AssignmentText.Format(trial.Values)).Write(folder);
        engine.MarkRunning(trial.Number, resumed ? "resumed after the controller stopped" : $"running: {trial.Values}");
        log.WriteLine($"[run] trial {trial.Number}{(resumed ? " (resumed)" : "")}: {trial.Values}");

        // With trials side by side, a live status line would mix them: plain lines, each tagged by its trial.
        var display = new ProgressDisplay(log, settings.Parallel == 1 && ProgressDisplay.IsInteractive, $"trial {trial.Number}", tagLines: settings.Parallel > 1);
        BuiltProgram built;
        try
        {
            built = await TrialBuild.RewriteAndBuildAsync(model, workspace, trial.Values, buildFolder, Path.Combine(folder, "build.log"), cancel, builder);
        }
        catch (AutotuneException e) when (e.ExitCode == ExitCodes.InvalidInput && trial.Number > 1)
        {
            // The code built with its own values (trial 1), so these values break it: a failed trial, not a failed study.
            engine.Finish(trial.Number, TrialState.Failed, null, 0, e.Message);
            log.WriteLine($"[run] trial {trial.Number} failed: {e.Message}");
            return;
        }

        var values = new List<double>();
        var heldOutLoss = new List<double>(); // per epoch, NaN where missing: a falling one keeps the plateau rule off
        var verdict = EpochVerdict.Continue;
        int? decidedAt = null; // the epoch at which the trial was stopped (target, ASHA, plateau, timeout)
        string? reported = null; // the metrics a program reports when the target's metric is not among them
        string? unconstrained = null; // the one-line refusal when the program reports no metric a constraint bounds
        bool OnEpoch(MetricLine line)
        {
            // Runs on the output reader's thread: decide, never throw here.
            engine.RecordEpoch(trial.Number, line);
            if (!line.Metrics.TryGetValue(settings.Target.Metric, out var value)) { reported = string.Join(", ", line.Metrics.Keys); return false; }
            // Trial 1's first epoch says what the program reports: a bound on a metric it never reports can never be met.
            if (trial.Number == 1 && line.Epoch == 1 && UnreportedConstraint(engine.Constraints, line) is { } refusal) { unconstrained = refusal; return false; }
            while (values.Count < line.Epoch - 1) values.Add(double.NaN);
            if (values.Count >= line.Epoch) values[line.Epoch - 1] = value; else values.Add(value);
            var loss = MetricName.CompanionLoss(line.Metrics.Keys, settings.Target.Metric) is { } name && MetricName.IsHeldOut(name) ? line.Metrics[name] : double.NaN;
            while (heldOutLoss.Count < line.Epoch - 1) heldOutLoss.Add(double.NaN);
            if (heldOutLoss.Count >= line.Epoch) heldOutLoss[line.Epoch - 1] = loss; else heldOutLoss.Add(loss);
            // An SDK program told to stop often finishes one more epoch before it reads the stop file:
            // that epoch is recorded, but the decision and the trial's value stay those of the epoch decided on.
            if (verdict != EpochVerdict.Continue) return false;
            verdict = engine.Judge(trial.Number, trial.Values, values, settings.Timeout is { } limit && clock.Elapsed > limit, line.IsLast, heldOutLoss, line.Metrics);
            if (verdict != EpochVerdict.Continue) decidedAt = line.Epoch;
            return verdict == EpochVerdict.Continue;
        }

        try
        {
            // A program without the SDK is read from its output; it cannot be told to stop, so it also gets the study's time left.
            var timeLeft = settings.Timeout is { } total && plain is not null ? total - clock.Elapsed : (TimeSpan?)null;
            var result = await new TrialSupervisor(runner, display).RunAsync(built, folder,
                new TrialSettings(trial.Number, settings.Seed, settings.MaxEpochs, settings.Device, settings.Retries, settings.SilenceLimit,
                    plain, settings.Target.Metric, timeLeft > TimeSpan.Zero ? timeLeft : null), cancel, OnEpoch);
            if (result.NamesRead is not null && result.Restarts > 0)
                engine.AddEvent(trial.Number, "restart", $"restarted from the beginning {result.Restarts} time(s): without the SDK the program saves no checkpoints");
            if (result.NamesRead is not null && values.Count == 0)
            {
                engine.Finish(trial.Number, TrialState.Failed, null, result.Restarts, $"no metric '{settings.Target.Metric}' in the program's output");
                reported ??= "nothing"; // ends the study (below): every trial of this program would miss it too
                throw MissingMetric.From(settings.Target.Metric, result, built.Assembly);
            }
            if (unconstrained is not null)
            {
                engine.Finish(trial.Number, TrialState.Failed, null, result.Restarts, unconstrained);
                throw AutotuneException.Invalid(unconstrained);
            }
            if (reported is not null)
            {
                engine.Finish(trial.Number, TrialState.Failed, null, result.Restarts, $"no metric '{settings.Target.Metric}'");
                throw new AutotuneException(ExitCodes.ModelFailed,
                    $"the program reports no metric '{settings.Target.Metric}' (it reports {reported}): fix --target or the program's ReportEpoch");
            }
            // Epochs a program left running by a killed controller finished alone are in its metrics file but
            // were never seen here: record them too, so the store holds every epoch the trial trained.
            foreach (var line in result.Epochs.Where(l => l.Epoch > values.Count))
            {
                engine.RecordEpoch(trial.Number, line);
                while (values.Count < line.Epoch - 1) values.Add(double.NaN);
                values.Add(line.Metrics.TryGetValue(settings.Target.Metric, out var v) ? v : double.NaN);
            }
            var final = decidedAt is { } at && at <= values.Count ? values[at - 1] : values.Count > 0 ? values[^1] : (double?)null;
            var state = verdict == EpochVerdict.Pruned ? TrialState.Pruned : TrialState.Completed;
            engine.Finish(trial.Number, state, final, result.Restarts, null);
            var why = verdict switch
            {
                EpochVerdict.TargetReached => " (target reached)",
                EpochVerdict.Pruned => " (pruned by ASHA)",
                EpochVerdict.Plateau => " (stopped: no improvement)",
                _ => "",
            };
            if (result.Epochs.Count > 0 && engine.Constraints.BrokenBy(result.FinalMetrics) is { Count: > 0 } broken)
                why += $" (infeasible: {string.Join(", ", broken)})";
            if (result.Epochs.Count > 0) why += Secondary(engine.Minimize, result.FinalMetrics, log);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[run] trial {trial.Number} {state.Name()}: {settings.Target.Metric} {final:0.####} after {result.Epochs.Count} epoch(s){why}"));
        }
        catch (AutotuneException e) when (e.ExitCode == ExitCodes.ModelFailed && reported is null)
        {
            engine.Finish(trial.Number, TrialState.Failed, values.Count > 0 ? values[^1] : null, 0, e.Message);
            log.WriteLine($"[run] trial {trial.Number} failed: {e.Message}");
        }
    }

    // Secondary metrics already said to be missing: the run says so once, not after every trial.
    private readonly HashSet<string> unreported = [];

    /// <summary>
    /// ", params 12345" for the trial's line: its secondary objectives at its last epoch. A metric the program does not
    /// report leaves the trial usable for the target but the worst for that objective, and the run says so once.
    /// </summary>
    private string Secondary(IReadOnlyList<string> minimize, IReadOnlyDictionary<string, double> metrics, TextWriter log)
    {
        var shown = new List<string>();
        foreach (var name in minimize)
        {
            if (metrics.TryGetValue(name, out var v) && double.IsFinite(v)) { shown.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {v:0.####}")); continue; }
            bool first;
            lock (unreported) first = unreported.Add(name);
            if (first)
                log.WriteLine($"[run] --minimize {name}: the program reports no metric '{name}' (it reports {string.Join(", ", metrics.Keys.Order(StringComparer.Ordinal))}): "
                    + "such trials still count for the target, as the worst for it; " + (name == "params" ? "call trial.ReportParameterCount(model) (Autotune.Sdk.TorchSharp) before training" : "report it with each epoch"));
        }
        return shown.Count > 0 ? $" ({string.Join(", ", shown)})" : "";
    }

    /// <summary>The refusal for the first constraint whose metric <paramref name="line"/> lacks, naming what the program does report; null when none.</summary>
    internal static string? UnreportedConstraint(IReadOnlyList<Constraint> constraints, MetricLine line) =>
        constraints.FirstOrDefault(c => !line.Metrics.ContainsKey(c.Metric)) is { } missing
            ? $"--constraint \"{missing}\": the program reports no metric '{missing.Metric}' (it reports {string.Join(", ", line.Metrics.Keys.Order(StringComparer.Ordinal))}): "
              + (missing.Metric == "params" ? "call trial.ReportParameterCount(model) (Autotune.Sdk.TorchSharp) before training, or " : "report it with each epoch, or ")
              + "drop the constraint"
            : null;

    /// <summary>Each study has its own trial folders, so two studies of one model never share checkpoints.</summary>
    public static string TrialFolder(ModelProject project, StudyInfo study, int number)
    {
        var safe = string.Concat(study.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        return Path.Combine(project.StateFolder, "studies", $"{safe}-{study.Id}", "trials", number.ToString("D4", CultureInfo.InvariantCulture));
    }

    /// <summary>A stored trial as the strategies see it.</summary>
    public static SearchTrial ToSearch(StoredTrial t, Target target) => StudyEngine.ToSearch(t, target);
}

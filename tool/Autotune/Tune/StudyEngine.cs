using System.Globalization;
using Autotune.Cli;
using Autotune.Search;
using Autotune.Study;
using Autotune.Train.Metrics;
using Autotune;

namespace Autotune.Tune;

/// <summary>Why a trial should stop after an epoch, or that it may go on.</summary>
public enum EpochVerdict { Continue, TargetReached, Pruned, Plateau, Timeout }

/// <summary>
/// The study's decisions, apart from where trials run: when the study is done, what to try next,
/// whether a trial goes on after an epoch, and how a trial's end is recorded. `autotune run` (trials
/// on this machine) and `autotune ask`/`tell` (trials elsewhere) both go through it, so they cannot
/// drift. Every store call is made under one lock: the store has one writer even when several
/// trials report epochs at once from their output readers' threads.
/// </summary>
public sealed class StudyEngine
{
    private readonly object gate = new();
    private readonly IStrategy strategy;
    private readonly AshaScheduler? asha;
    private readonly PlateauRule plateau;

    /// <summary>
    /// Trials that must train past an ASHA rung before it stops anyone: three give three pairs to learn
    /// the rung's reversal margin from, and cost at most three unpruned trials per rung.
    /// </summary>
    private const int AshaEvidence = 3;

    public StudyStore Store { get; }
    public StudyInfo Study { get; }
    public TuneSettings Settings { get; }
    public SearchSpace Space { get; }
    /// <summary>True when the study existed before this engine opened it.</summary>
    public bool Resumed { get; }

    private StudyEngine(StudyStore store, StudyInfo study, TuneSettings settings, SearchSpace space, bool resumed, IStrategy? strategy = null)
    {
        Store = store;
        Study = study;
        Settings = settings;
        Space = space;
        Resumed = resumed;
        this.strategy = strategy ?? Strategies.Create(settings.Strategy, settings.ExpectedTrials());
        asha = settings.Asha ? new AshaScheduler(1, 3, settings.MaxEpochs, evidence: AshaEvidence) : null;
        plateau = new PlateauRule(settings.PlateauPatience, 1e-4);
    }

    public string StrategyName => strategy.Name;

    /// <summary>
    /// Opens the study <paramref name="name"/> (created when absent); one made for another target is refused, one made
    /// for another space starts over from its trials that fit (<see cref="WarmStart"/>).
    /// <paramref name="strategy"/> replaces the one settings name (tests).
    /// </summary>
    public static StudyEngine Open(StudyStore store, string name, string model, SearchSpace space, TuneSettings settings, IStrategy? strategy = null)
    {
        // Given names were checked where they were given; this holds a project's own name, the default, to the same rule.
        if (StudyName.Refusal(name, "study") is { } refusal) throw AutotuneException.Invalid($"{refusal}; pass --study with another name");
        var study = store.FindStudy(name);
        if (study is null)
            return new StudyEngine(store, store.CreateStudy(name, model, space, settings.Target.ToString(), strategy?.Name ?? Strategies.Create(settings.Strategy).Name, settings.Seed,
                    StudyConstraints.Write(settings.ConstraintList, settings.MinimizeList)),
                settings, space, resumed: false, strategy);
        if (study.Target != settings.Target.ToString())
            throw AutotuneException.Invalid($"{store.Path}: study '{name}' was made for another target ({study.Target}): pass --study with a new name to start a new study");
        // Its trials were judged feasible or not by the study's constraints: other ones would rank them by other rules.
        var made = StudyConstraints.Of(study).Describe();
        if (made != settings.ConstraintList.Describe())
            throw AutotuneException.Invalid(
                $"{store.Path}: study '{name}' was made with {(made.Length == 0 ? "no constraint" : $"the constraint(s) {made}")}, not {(settings.ConstraintList.Count == 0 ? "none" : settings.ConstraintList.Describe())}: give the same --constraint, or pass --study with a new name to start a new study");
        // Its best trial was picked by its secondary objectives, in their order: other ones would pick another.
        var minimizes = StudyObjectives.Of(study);
        if (!minimizes.SequenceEqual(settings.MinimizeList))
            throw AutotuneException.Invalid(
                $"{store.Path}: study '{name}' was made to minimize {StudyObjectives.Describe(minimizes)}, not {StudyObjectives.Describe(settings.MinimizeList)}: give the same --minimize in the same order, or pass --study with a new name to start a new study");
        if (!study.Space.SearchesLike(space))
        {
            var (restarted, note) = WarmStart(store, study, space);
            return new StudyEngine(store, restarted, settings, space, resumed: true, strategy) { WarmStartNote = note };
        }
        return new StudyEngine(store, study, settings, space, resumed: true, strategy);
    }

    /// <summary>What a study started over for a changed space took over from the earlier one (for the run's output); null otherwise.</summary>
    public string? WarmStartNote { get; private init; }

    /// <summary>
    /// A study whose space changed (a parameter added, removed, a range widened or narrowed) starts over under its
    /// name from the earlier study's finished trials that still fit: every value inside the new space, a parameter
    /// the trial lacks at the code's value (what the program ran with), and a parameter the new space dropped at
    /// the value the code had then (else the trial trained another program). The earlier study is kept as NAME-old-N.
    /// </summary>
    private static (StudyInfo Study, string Note) WarmStart(StudyStore store, StudyInfo old, SearchSpace space)
    {
        var finished = store.Trials(old).Where(t => t.State is TrialState.Completed or TrialState.Pruned).ToList();
        var keep = new List<(StoredTrial, Assignment)>();
        foreach (var trial in finished)
            if (Fit(trial.Values, old.Space, space) is { } values) keep.Add((trial, values));
        var archived = Enumerable.Range(1, 1000).Select(n => $"{old.Name}-old-{n}").First(n => store.FindStudy(n) is null);
        var note = $"the search space changed: took over {keep.Count} of {finished.Count} finished trial(s) of the earlier study that fit the new space; it is kept as study '{archived}'";
        return (store.Restart(old, archived, space, keep, note), note);
    }

    /// <summary>
    /// Starts this study from the finished trials of a study in another model folder (`run --from-study DIR`) that fit
    /// this space (as a changed space's warm start takes them), and says what it took. The other study is the one of
    /// this study's name there, else the only one; its target must measure the same metric in the same direction,
    /// or its values would rank backwards. A study that already has trials takes nothing: a rerun of the same command resumes.
    /// </summary>
    public string TakeOver(string folder)
    {
        lock (gate)
        {
            var mine = Store.Trials(Study);
            if (mine.Count > 0) return $"--from-study: study '{Study.Name}' already has {mine.Count} trial(s); nothing more taken over";
            var path = Path.Combine(Path.GetFullPath(folder), ".autotune", "study.db");
            if (Path.GetFullPath(path) == Path.GetFullPath(Store.Path))
                throw AutotuneException.Invalid($"--from-study {folder} is this model's own folder: a study whose space changed already starts from its own trials; pass another model's folder");
            if (!File.Exists(path))
                throw AutotuneException.Invalid($"--from-study {folder}: no study store at {path}: pass the folder of a model that `autotune run` tuned");
            using var other = StudyStore.Open(path);
            var names = other.StudyNames();
            var from = other.FindStudy(Study.Name) ?? (names.Count == 1 ? other.FindStudy(names[0]) : null)
                ?? throw AutotuneException.Invalid(
                    $"--from-study {folder}: its store holds {(names.Count == 0 ? "no study" : $"the studies {string.Join(", ", names)}")} and none is named '{Study.Name}': pass --study with the name of the one to start from");
            var theirs = Target.Parse(from.Target);
            if (theirs.Metric != Settings.Target.Metric || theirs.Direction != Settings.Target.Direction)
                throw AutotuneException.Invalid(
                    $"--from-study {folder}: study '{from.Name}' tuned for {theirs} ({Aim(theirs)}), this one for {Settings.Target} ({Aim(Settings.Target)}): a warm start needs trials measured the same way");
            var finished = other.Trials(from).Where(t => t.State is TrialState.Completed or TrialState.Pruned).ToList();
            var keep = finished.Select(t => (Trial: t, Values: Fit(t.Values, from.Space, Space))).Where(x => x.Values is not null)
                .Select(x => (x.Trial, x.Values!)).ToList();
            var note = $"took over {keep.Count} of {finished.Count} finished trial(s) of study '{from.Name}' in {folder} that fit this space";
            Store.Import(Study, keep, note);
            return note;
        }
    }

    private static string Aim(Target t) => $"{(t.Direction == Direction.Maximize ? "maximizing" : "minimizing")} {t.Metric}";

    private static Assignment? Fit(Assignment values, SearchSpace before, SearchSpace now)
    {
        var fitted = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var p in now.Parameters)
        {
            var value = values.Values.TryGetValue(p.Name, out var v) ? v : p.Current;
            if (!p.Domain.Contains(value)) return null;
            fitted[p.Name] = value;
        }
        foreach (var (name, value) in values.Values)
            if (now.Parameters.All(p => p.Name != name) && before.Parameters.FirstOrDefault(p => p.Name == name) is { } dropped && !SearchValue.AreEqual(value, dropped.Current))
                return null;
        return now.Canonical(new Assignment(fitted));
    }

    /// <summary>The engine of a study that exists, with the settings it was made with (`tell` needs no flags).</summary>
    public static StudyEngine ForTell(StudyStore store, StudyInfo study) =>
        new(store, study, new TuneSettings(Target.Parse(study.Target), Strategy: study.Strategy, Seed: study.Seed, Constraints: StudyConstraints.Of(study),
            Minimize: StudyObjectives.Of(study)), study.Space, resumed: true);

    /// <summary>The study's constraints: a trial that breaks one can neither reach the target nor be the best.</summary>
    public IReadOnlyList<Constraint> Constraints => Settings.ConstraintList;

    /// <summary>The study's secondary objectives, metrics to minimize in order: they pick the best among the trials that reach the target.</summary>
    public IReadOnlyList<string> Minimize => Settings.MinimizeList;

    /// <summary>The trials on the Pareto front over the target's metric and <see cref="Minimize"/>, among those that count for the best.</summary>
    public IReadOnlyList<int> ParetoFront(IReadOnlyList<StoredTrial> trials) => TrialObjectives.Front(trials, Settings.Target, Constraints, Minimize);

    /// <summary>What the trial broke at its last epoch ("params 412000 > 200000"); empty when it is feasible.</summary>
    public IReadOnlyList<string> Broken(StoredTrial trial) => trial.Broken(Constraints);

    public IReadOnlyList<StoredTrial> Trials() { lock (gate) return Store.Trials(Study); }

    public StoredTrial Trial(int number) =>
        Trials().FirstOrDefault(t => t.Number == number)
        ?? throw AutotuneException.Invalid($"study '{Study.Name}' has no trial {number}");

    /// <summary>A completed trial that meets every constraint reached the target.</summary>
    public bool TargetReached(IReadOnlyList<StoredTrial> trials) =>
        trials.Any(t => t.Value is { } v && t.State == TrialState.Completed && Settings.Target.IsReachedBy(v) && t.IsFeasible(Constraints));

    /// <summary>Every trial the budget allows has been proposed and none is left to run.</summary>
    public bool BudgetSpent(IReadOnlyList<StoredTrial> trials) =>
        NoMoreTrials(trials) && !trials.Any(t => t.State is TrialState.Running or TrialState.Queued);

    /// <summary>What ended the budget, for the run's last line: trials or epochs.</summary>
    public string BudgetDescription(IReadOnlyList<StoredTrial> trials) =>
        trials.Count >= Settings.MaxTrials
            ? $"{Settings.MaxTrials} trial(s)"
            : $"{EpochsSpent(trials)} of {Settings.EpochBudget} epoch(s)";

    /// <summary>Epochs trained by every trial so far, whatever became of it.</summary>
    public static int EpochsSpent(IReadOnlyList<StoredTrial> trials) => trials.Sum(t => t.Epochs);

    /// <summary>The budget of trials is fully proposed, or the trials so far trained every epoch the budget allows.</summary>
    private bool NoMoreTrials(IReadOnlyList<StoredTrial> trials) =>
        trials.Count >= Settings.MaxTrials || (Settings.EpochBudget is { } epochs && EpochsSpent(trials) >= epochs);

    /// <summary>
    /// Queues <paramref name="values"/> as a trial (`autotune enqueue`), unless a trial of the study already
    /// has them: then that trial, and false. Enqueued trials count against the budget like any other.
    /// </summary>
    public (StoredTrial Trial, bool Added) Enqueue(Assignment values)
    {
        lock (gate)
        {
            // Values that differ only where a condition makes a parameter inactive train the same program.
            values = Space.Canonical(values);
            if (Store.Trials(Study).FirstOrDefault(t => Space.SameTrial(t.Values, values)) is { } existing) return (existing, false);
            return (Store.AddTrial(Study, values), true);
        }
    }

    /// <summary>
    /// Queues the next trial the strategy proposes, seeing every queued and running trial as running,
    /// so parallel proposals differ. Null when the budget of trials (or of epochs) is spent or the
    /// strategy has nothing more to propose now. A trial started within the epoch budget may finish
    /// beyond it: a budget is checked between trials, never by cutting one short.
    /// </summary>
    public StoredTrial? Propose()
    {
        lock (gate)
        {
            var trials = Store.Trials(Study);
            if (NoMoreTrials(trials) || TargetReached(trials)) return null;
            var history = trials.Select(t => ToSearch(t, Settings.Target, Constraints)).ToList();
            var longest = Settings.LongTrials ? LongTrials.For(Space, Settings.MaxEpochs) : null;
            // A strategy may fall back to a draw that repeats a trial (a large discrete space); values
            // already trained are never trained again: ask again with another stream, still deterministic.
            Assignment? asProposed = null; // an untried proposal whose longest form was tried: trained as proposed when nothing else is left
            for (var attempt = 0; attempt < 8; attempt++)
            {
                var proposal = strategy.Propose(Space, history, StudyHistory.RandomFor(Settings.Seed, trials.Count + 1 + attempt * 100_003));
                if (proposal is null) break;
                proposal = Space.Canonical(proposal);
                // The code's own values stay as they are: the baseline says where the code stands.
                var longer = longest is not null && !Space.SameTrial(proposal, Space.Current()) ? longest.Extend(proposal) : proposal;
                if (!history.HasTried(Space, longer)) return Store.AddTrial(Study, longer);
                if (asProposed is null && !history.HasTried(Space, proposal)) asProposed = proposal;
            }
            return asProposed is null ? null : Store.AddTrial(Study, asProposed);
        }
    }

    public void MarkRunning(int number, string note) { lock (gate) Store.MarkRunning(Study, number, note); }

    public void AddEvent(int? trial, string kind, string message) { lock (gate) Store.AddEvent(Study, trial, kind, message); }

    public void RecordEpoch(int number, MetricLine line) { lock (gate) Store.RecordEpoch(Study, number, line); }

    public void Finish(int number, TrialState state, double? value, int restarts, string? error)
    {
        lock (gate) Store.Finish(Study, number, state, value, restarts, error);
    }

    /// <summary>
    /// Whether trial <paramref name="number"/> goes on after the epochs it has reported
    /// (<paramref name="values"/>: the target's metric per epoch, NaN where missing): the target,
    /// the study's timeout, ASHA at a rung, and the plateau rule, in that order. After the last epoch
    /// the program planned (<paramref name="lastEpoch"/>, or the first of a program that trains one) neither
    /// ASHA nor the plateau rule speaks: the trial trained all its epochs, so it is completed, never pruned.
    /// </summary>
    /// <paramref name="heldOutLoss"/>, the program's held-out loss per epoch where it reports one, keeps a trial
    /// from the plateau rule while it still falls. <paramref name="metrics"/>, every metric of the epoch just reported
    /// (read from the store when not given), says whether the trial meets the constraints: one that reaches the
    /// target while it breaks one goes on, as any other trial.
    public EpochVerdict Judge(int number, Assignment assignment, IReadOnlyList<double> values, bool timedOut, bool lastEpoch = false,
        IReadOnlyList<double>? heldOutLoss = null, IReadOnlyDictionary<string, double>? metrics = null)
    {
        if (values.Count > 0 && Settings.Target.IsReachedBy(values[^1]) && MeetsConstraints(number, metrics)) return EpochVerdict.TargetReached;
        if (timedOut) return EpochVerdict.Timeout;
        if (lastEpoch || values.Count == 1 && TrainsOneEpoch()) return EpochVerdict.Continue;
        var others = Trials().Where(t => t.Number != number).Select(t => ToSearch(t, Settings.Target, Constraints)).ToList();
        if (asha is not null)
        {
            var me = new SearchTrial(number, assignment, SearchTrialState.Running, null, values.ToList(), Settings.Target.Direction);
            if (asha.Decide(me, others) == TrialDecision.Stop) return EpochVerdict.Pruned;
        }
        var noise = MetricNoise.Sigma(others.Select(t => t.EpochValues));
        return plateau.Decide(values, Settings.Target.Direction, heldOutLoss, noise) == TrialDecision.Stop ? EpochVerdict.Plateau : EpochVerdict.Continue;
    }

    private bool MeetsConstraints(int number, IReadOnlyDictionary<string, double>? metrics)
    {
        if (Constraints.Count == 0) return true;
        if (metrics is not null) return Constraints.BrokenBy(metrics).Count == 0;
        return Trials().FirstOrDefault(t => t.Number == number) is { } stored && stored.Metrics.Count > 0 && stored.IsFeasible(Constraints);
    }

    private bool trainsOneEpoch;

    /// <summary>
    /// Whether the program trains one epoch and ends (boosted trees fitted in one call, printing no counter):
    /// trial 1, with the code's values, completed after one epoch. Its first epoch is then every trial's last,
    /// and a trial ASHA "stopped" there had trained all it would: completed, not pruned.
    /// </summary>
    private bool TrainsOneEpoch() =>
        trainsOneEpoch = trainsOneEpoch || Trials().FirstOrDefault(t => t.Number == 1) is { State: TrialState.Completed, Epochs: 1 };

    /// <summary>
    /// Records what a trial folder holds, its epochs and its end, in one transaction (for `tell`).
    /// A trial already finished the same way is left as it is (returns false); finished another way, refused.
    /// </summary>
    public bool Tell(int number, IReadOnlyList<MetricLine> epochs, TrialState state, int restarts, string? error)
    {
        lock (gate)
        {
            var trial = Store.Trials(Study).FirstOrDefault(t => t.Number == number)
                ?? throw AutotuneException.Invalid($"study '{Study.Name}' has no trial {number}: tell only trials that `autotune ask` queued");
            var metricValues = epochs.OrderBy(e => e.Epoch).Select(e => e.Metrics.TryGetValue(Settings.Target.Metric, out var v) ? v : double.NaN).ToList();
            if (state == TrialState.Completed && epochs.Count > 0 && !epochs.Any(e => e.Metrics.ContainsKey(Settings.Target.Metric)))
                (state, error) = (TrialState.Failed, $"no metric '{Settings.Target.Metric}' (it reports {string.Join(", ", epochs[^1].Metrics.Keys)})");
            if (state == TrialState.Completed && epochs.Count == 0)
                (state, error) = (TrialState.Failed, "the program finished without reporting a metric");
            var value = metricValues.Count > 0 && double.IsFinite(metricValues[^1]) ? metricValues[^1] : (double?)null;
            if (trial.State.IsFinished())
            {
                if (trial.State == state && trial.Epochs == epochs.Count) return false;
                throw AutotuneException.Invalid(
                    $"trial {number} of study '{Study.Name}' is already recorded as {trial.State.Name()} after {trial.Epochs} epoch(s); this folder says {state.Name()} after {epochs.Count}: tell each trial once");
            }
            Store.Record(Study, number, epochs, state, value, restarts, error);
            return true;
        }
    }

    /// <summary>
    /// The best completed trial that meets every constraint, or null: with secondary objectives, the lowest by them of
    /// those that reach the target; else the best value (ties to the earlier one), as <see cref="Search.ParetoFront.Pick"/> says.
    /// </summary>
    public StoredTrial? Best(IReadOnlyList<StoredTrial> trials) => TrialObjectives.Best(trials, Settings.Target, Constraints, Minimize);

    /// <summary>A stored trial as the strategies see it; infeasible when it broke one of <paramref name="constraints"/>.</summary>
    public static SearchTrial ToSearch(StoredTrial t, Target target, IReadOnlyList<Constraint>? constraints = null)
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
        var last = t.Metrics.Count > 0 ? t.Metrics[t.Metrics.Keys.Max()] : null;
        var companion = last is null ? null : MetricName.CompanionLoss(last.Keys, target.Metric);
        return new SearchTrial(t.Number, t.Values, state, t.Value, epochs, target.Direction)
        {
            Companion = companion is not null && last![companion] is var loss && double.IsFinite(loss) ? loss : null,
            Feasible = constraints is null || t.IsFeasible(constraints),
        };
    }

    /// <summary>"Momentum 0..0.99 when Optimizer = "sgd"": the parameter's space, and its condition where it has one.</summary>
    public static string Describe(Parameter p) => DescribeDomain(p) + (p.When is { } when ? $" when {when}" : "");

    private static string DescribeDomain(Parameter p) => p.Domain switch
    {
        IntRange r => $"{p.Name} {r.Min}..{r.Max}{(r.Log ? " (log)" : "")}",
        RealRange r => $"{p.Name} {SearchValue.Format(r.Min)}..{SearchValue.Format(r.Max)}{(r.Log ? " (log)" : "")}",
        Choice c => $"{p.Name} {{{string.Join(", ", c.Values.Select(SearchValue.Format))}}}",
        _ => p.Name,
    };

    public static string Format(double? v) => v is { } x ? x.ToString("0.####", CultureInfo.InvariantCulture) : "-";
}

namespace Autotune.Search;

/// <summary>
/// Asynchronous successive halving (ASHA, Li et al. 2018). Rungs sit at MinEpochs, MinEpochs·eta,
/// MinEpochs·eta², ... below MaxEpochs. A trial reaching a rung goes on only if its metric there is
/// among the best 1/eta of all trials that reached that rung so far; the rest stop. Deciding as each
/// trial arrives, without waiting for a full bracket, is what makes it asynchronous. Early arrivals
/// are given the benefit of the doubt (ceil of n/eta), so the first trial of a study is never pruned.
/// With <see cref="Evidence"/> above zero a rung must also have shown that it predicts: see <see cref="Decide"/>.
/// </summary>
public sealed class AshaScheduler
{
    public int MinEpochs { get; }
    public int ReductionFactor { get; }
    public int? MaxEpochs { get; }

    /// <summary>
    /// How many trials must have trained past a rung before it stops anyone (0: classic ASHA, which judges
    /// from the first arrival). Early epochs of some programs rank trials on noise: a spiral MLP sits at
    /// chance accuracy for a dozen epochs before it climbs, and a rung there prunes at random.
    /// </summary>
    public int Evidence { get; }

    /// <summary>The epochs at which trials are compared, ascending.</summary>
    public IReadOnlyList<int> Rungs { get; }

    public AshaScheduler(int minEpochs, int reductionFactor = 3, int? maxEpochs = null, int evidence = 0)
    {
        if (evidence < 0) throw new ArgumentOutOfRangeException(nameof(evidence), "ASHA's evidence is a count of trials, zero or more.");
        if (minEpochs < 1) throw new ArgumentOutOfRangeException(nameof(minEpochs), "ASHA's first rung needs at least one epoch.");
        if (reductionFactor < 2) throw new ArgumentOutOfRangeException(nameof(reductionFactor), "ASHA's reduction factor eta must be at least 2.");
        if (maxEpochs is { } max && max < minEpochs) throw new ArgumentOutOfRangeException(nameof(maxEpochs), "Max epochs must be at least the first rung's epochs.");
        MinEpochs = minEpochs;
        ReductionFactor = reductionFactor;
        MaxEpochs = maxEpochs;
        Evidence = evidence;

        var rungs = new List<int>();
        // A rung at MaxEpochs would decide nothing: the trial ends there anyway.
        for (long r = minEpochs; r < (maxEpochs ?? 1_000_000); r *= reductionFactor) rungs.Add((int)r);
        Rungs = rungs;
    }

    public bool IsRung(int epoch) => Rungs.Contains(epoch);

    /// <summary>
    /// The first rung after <paramref name="epochsDone"/> epochs, or null past the last one: how far a
    /// trial may train before it must be judged, for a loop that pauses trials at rungs.
    /// </summary>
    public int? NextRung(int epochsDone) => Rungs.Where(r => r > epochsDone).Select(r => (int?)r).FirstOrDefault();

    /// <summary>
    /// The decision for <paramref name="trial"/> after its last reported epoch: Continue between rungs;
    /// at a rung, Continue when it ranks within the best ceil(n/eta) of the n trials (itself included)
    /// with a value at that epoch, ties in its favour, and Stop otherwise. With <see cref="Evidence"/>,
    /// a rung decides only once that many trials have trained past it, and a trial counts as behind another
    /// only by more than the rung's <see cref="ReversalMargin">reversal margin</see>: the largest lead at
    /// this rung that a trial past it later lost, and at least <see cref="StudyHistory.TieSigmas"/> times the metric's
    /// epoch-to-epoch noise (<see cref="MetricNoise"/>). Where rung values are noise the margin spans the noise and
    /// nobody is stopped; where they predict, it is small and ASHA prunes as before.
    /// </summary>
    public TrialDecision Decide(SearchTrial trial, IReadOnlyList<SearchTrial> trials)
    {
        var epoch = trial.EpochsDone;
        if (!IsRung(epoch) || trial.ValueAt(epoch) is not { } value) return TrialDecision.Continue;

        var others = trials.Where(t => t.Number != trial.Number).ToList();
        var margin = 0.0;
        if (Evidence > 0)
        {
            var past = others.Where(t => t.EpochsDone > epoch && t.ValueAt(epoch) is not null && Latest(t) is not null).ToList();
            if (past.Count < Evidence) return TrialDecision.Continue;
            // Nor by less than the metric's own epoch-to-epoch noise, read from the trials' epochs: a rung
            // that has seen no reversal yet (three trials, all at chance) must not prune on noise either.
            margin = Math.Max(ReversalMargin(epoch, past), StudyHistory.TieSigmas * MetricNoise.Sigma(past.Select(t => t.EpochValues)));
        }

        var values = ValuesAt(epoch, others);
        var quota = (int)Math.Ceiling((values.Count + 1) / (double)ReductionFactor);
        var direction = trial.Direction;
        var better = values.Count(v => direction.Score(v) - direction.Score(value) > margin);
        return better < quota ? TrialDecision.Continue : TrialDecision.Stop;
    }

    /// <summary>
    /// The largest lead one trial held over another at <paramref name="rung"/> and lost by its latest value,
    /// over every pair of <paramref name="past"/> (trials that trained beyond the rung); 0 when the rung's
    /// order has always held. In the metric's units, higher-is-better.
    /// </summary>
    public static double ReversalMargin(int rung, IReadOnlyList<SearchTrial> past)
    {
        var margin = 0.0;
        foreach (var a in past)
            foreach (var b in past)
            {
                var direction = a.Direction;
                var lead = direction.Score(a.ValueAt(rung)!.Value) - direction.Score(b.ValueAt(rung)!.Value);
                if (lead > margin && direction.IsBetter(Latest(b)!.Value, Latest(a)!.Value)) margin = lead;
            }
        return margin;
    }

    /// <summary>A trial's ranking value: its objective once it ended, its last epoch while it runs.</summary>
    private static double? Latest(SearchTrial t) => t.Objective ?? t.ValueAt(t.EpochsDone);

    /// <summary>
    /// Pruned trials that have since earned promotion, as in ASHA's original form: stopped at a rung and
    /// now within the best floor(n/eta) there, because more trials have reached it. Higher rungs first,
    /// then best first. The tune loop may resume them from their checkpoints instead of starting new trials.
    /// </summary>
    public IReadOnlyList<SearchTrial> Promotable(IReadOnlyList<SearchTrial> trials)
    {
        var promotable = new List<SearchTrial>();
        foreach (var rung in Rungs.Reverse())
        {
            var reached = trials.Where(t => t.ValueAt(rung) is not null).ToList();
            var quota = reached.Count / ReductionFactor;
            if (quota == 0) continue;
            var direction = reached[0].Direction;
            var top = reached
                .OrderByDescending(t => direction.Score(t.ValueAt(rung)!.Value))
                .ThenBy(t => t.Number)
                .Take(quota);
            promotable.AddRange(top.Where(t => t.State == SearchTrialState.Pruned && t.EpochsDone == rung));
        }
        return promotable;
    }

    private static List<double> ValuesAt(int epoch, IEnumerable<SearchTrial> trials) =>
        trials.Select(t => t.ValueAt(epoch)).OfType<double>().ToList();
}

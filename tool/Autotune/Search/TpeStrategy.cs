namespace Autotune.Search;

/// <summary>
/// Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio, Kégl 2011) with a local walk.
/// <list type="number">
/// <item>The code's values first (the baseline), then grow's capacity steps from the best trial
/// for as long as each step improves (the climb): where the code is close to its target, as the
/// MNIST sample's is, that is the shortest way up; where it is far, the first step that fails ends it.</item>
/// <item>Uniform draws until <see cref="TpeOptions.StartupTrials"/> trials have results.</item>
/// <item>Then TPE: the best share of the trials (good) and the rest (bad) each get a density over
/// whole assignments (<see cref="ParzenMixture"/>: one joint kernel per trial, so interactions
/// such as rate x optimizer are followed); candidates drawn from l(x) are ranked by l(x)/g(x).
/// Every <see cref="TpeOptions.LocalEvery"/>th trial is instead a step from the best trial (the
/// local walk): l/g peaks on the good trials themselves, so TPE samples around them but seldom
/// walks on; the walk refines what TPE found.</item>
/// </list>
/// Each default was kept because it won on bench/search against Optuna 3.1's samplers over the
/// same objectives and seeds (bench/RESULTS.md, "Search"); the losers are listed there.
/// </summary>
public sealed class TpeStrategy : IStrategy
{
    public TpeOptions Options { get; }

    /// <summary>Trials with results (the baseline and the climb count) before the model is trusted.</summary>
    public int StartupTrials => Options.StartupTrials;

    public const int DefaultStartupTrials = 10;

    private static readonly GrowStrategy Climb = new();

    /// <summary>
    /// Start-up trials for a study of about <paramref name="expectedTrials"/> trials: a third of
    /// them, between 4 and 10; with no budget known, 10. A fixed 10 would spend most of a 12-trial study drawing at random.
    /// </summary>
    public static int StartupFor(int? expectedTrials) =>
        expectedTrials is { } n ? Math.Clamp((n + 2) / 3, 4, DefaultStartupTrials) : DefaultStartupTrials;

    public TpeStrategy(int startupTrials = DefaultStartupTrials) : this(new TpeOptions { StartupTrials = startupTrials })
    {
    }

    public TpeStrategy(TpeOptions options)
    {
        options.Validate();
        Options = options;
    }

    public string Name => "tpe";

    public Assignment? Propose(SearchSpace space, IReadOnlyList<SearchTrial> history, Random rng)
    {
        if (history.NeedsBaseline(space)) return space.Current();
        if (Domains.IsExhausted(space, history)) return null;

        var ranked = history.Ranked();
        if (ClimbStep(space, history, ranked, rng) is { } step) return step;
        if (ranked.Count < Math.Max(2, Options.StartupTrials)) return Domains.SampleUntried(space, history, rng);

        if (Options.ReclimbEvery > 0 && history.Count % Options.ReclimbEvery == Options.ReclimbEvery - 1 && Reclimb(space, ranked, history, rng) is { } grown)
            return grown;
        var dims = space.Parameters.Select(p => ParzenMixture.Dimension.For(p.Domain)).ToArray();
        if (Options.LocalEvery > 0 && history.Count % Options.LocalEvery == 0 && LocalStep(space, dims, ranked, history, rng) is { } walk)
            return walk;

        var goodCount = Math.Clamp(Options.GoodCount(ranked.Count), 1, ranked.Count - 1);
        var good = ranked.Take(goodCount).ToList();
        // Failed and running trials join the bad side: a crash is the worst result, and steering
        // away from running values keeps parallel trials apart.
        var bad = ranked.Skip(goodCount)
            .Concat(history.Where(t => t.State is SearchTrialState.Failed or SearchTrialState.Running))
            .ToList();
        return ProposeFromModel(space, dims, good, bad, history, rng) ?? Domains.SampleUntried(space, history, rng);
    }

    /// <summary>
    /// Grow's next step from the best trial while every step so far has improved, within the first
    /// <see cref="TpeOptions.ClimbTrials"/> trials: the first step that fails ends the climb for good.
    /// </summary>
    private Assignment? ClimbStep(SearchSpace space, IReadOnlyList<SearchTrial> history, IReadOnlyList<SearchTrial> ranked, Random rng)
    {
        if (ranked.Count >= Options.ClimbTrials || !StillClimbing(history)) return null;
        return Climb.Propose(space, history, rng);
    }

    // Each trial after the first beat every trial before it (failed and running ones aside), and none broke a
    // constraint: growing past a bound such as the model's size only grows further past it.
    private static bool StillClimbing(IReadOnlyList<SearchTrial> history)
    {
        var direction = history.Direction();
        var best = double.NegativeInfinity;
        foreach (var t in history.Where(t => t.Objective is not null).OrderBy(t => t.Number))
        {
            if (!t.Feasible) return false;
            var score = direction.Score(t.Objective!.Value);
            if (score <= best) return false;
            best = score;
        }
        return true;
    }

    /// <summary>The best trial with one parameter, drawn among those that can grow untried, one step larger (<see cref="TpeOptions.ReclimbEvery"/>).</summary>
    private static Assignment? Reclimb(SearchSpace space, IReadOnlyList<SearchTrial> ranked, IReadOnlyList<SearchTrial> history, Random rng)
    {
        var best = ranked[0].Assignment;
        var steps = space.Parameters
            .Select(p => space.IsActive(p, best) && best.Values.TryGetValue(p.Name, out var v) && GrowStrategy.NextLarger(p.Domain, v) is { } up
                ? space.Canonical(new Assignment(best.Values.ToDictionary(kv => kv.Key, kv => kv.Key == p.Name ? up : kv.Value))) : null)
            .OfType<Assignment>()
            .Where(a => !history.HasTried(space, a))
            .ToList();
        return steps.Count == 0 ? null : steps[rng.Next(steps.Count)];
    }

    private Assignment? ProposeFromModel(SearchSpace space, ParzenMixture.Dimension[] dims, List<SearchTrial> good, List<SearchTrial> bad,
        IReadOnlyList<SearchTrial> history, Random rng)
    {
        var l = new ParzenMixture(dims, good.Select(t => Point(space, dims, t)).ToList(), Weights(good), Options.PriorWeight);
        var g = new ParzenMixture(dims, bad.Select(t => Point(space, dims, t)).ToList(), Weights(bad), Options.PriorWeight);
        Assignment? best = null;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c < Options.Candidates; c++)
        {
            var x = Snap(dims, l.Sample(rng));
            var candidate = ToAssignment(space, dims, x);
            if (history.HasTried(space, candidate)) continue;
            x = WithoutInactive(space, candidate, x);
            var score = l.LogDensity(x) - g.LogDensity(x);
            if (score > bestScore) (best, bestScore) = (candidate, score);
        }
        return best;
    }

    /// <summary>
    /// A step from the best trial: each numeric value moved (with chance <see cref="TpeOptions.LocalNumericShare"/>)
    /// by a normal draw of <see cref="TpeOptions.LocalRadius"/> of its axis, narrowing by
    /// <see cref="TpeOptions.LocalDecay"/> for every trial since the best was found (a trust region
    /// that shrinks while nothing beats it), and each choice switched with chance 1/(parameters).
    /// </summary>
    private Assignment? LocalStep(SearchSpace space, ParzenMixture.Dimension[] dims, IReadOnlyList<SearchTrial> ranked, IReadOnlyList<SearchTrial> history, Random rng)
    {
        var best = ranked[0];
        var since = history.Count(t => t.Number > best.Number && t.Objective is not null);
        var radius = Math.Max(Options.LocalMinRadius, Options.LocalRadius * Math.Pow(Options.LocalDecay, since));
        var from = Point(space, dims, best);
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var x = (double[])from.Clone();
            var changed = false;
            for (var d = 0; d < dims.Length; d++)
            {
                if (dims[d].Axis is { } axis)
                {
                    if (!double.IsFinite(x[d]) || rng.NextDouble() >= Options.LocalNumericShare) continue;
                    x[d] = Math.Clamp(x[d] + radius * axis.Width * Gaussian.Draw(rng), axis.Low, axis.High);
                    changed = true;
                }
                else if (dims[d].Choices > 1 && double.IsFinite(x[d]) && rng.NextDouble() < 1.0 / dims.Length)
                {
                    var other = rng.Next(dims[d].Choices - 1);
                    x[d] = other >= x[d] ? other + 1 : other;
                    changed = true;
                }
            }
            if (!changed) continue;
            var candidate = ToAssignment(space, dims, Snap(dims, x));
            if (!history.HasTried(space, candidate)) return candidate;
        }
        return null;
    }

    // A parameter inactive in the trial is NaN: the trial says nothing about it, so its kernel is the prior
    // there, and each parameter is modelled on the trials where it was active.
    private static double[] Point(SearchSpace space, ParzenMixture.Dimension[] dims, SearchTrial t) =>
        [.. space.Parameters.Select((p, d) => space.IsActive(p, t.Assignment) ? Coordinate(p, dims[d], t) : double.NaN)];

    /// <summary>The candidate's point with its inactive parameters NaN, so its density leaves them out (marginalised).</summary>
    private static double[] WithoutInactive(SearchSpace space, Assignment candidate, double[] x)
    {
        if (!space.IsConditional) return x;
        for (var d = 0; d < x.Length; d++)
            if (!space.IsActive(space.Parameters[d], candidate)) x[d] = double.NaN;
        return x;
    }

    private static double Coordinate(Parameter p, ParzenMixture.Dimension dim, SearchTrial t)
    {
        if (!t.Assignment.Values.TryGetValue(p.Name, out var v)) return double.NaN;
        if (p.Domain is Choice c) return c.IndexOf(v) is var i and >= 0 ? i : double.NaN;
        return dim.Axis!.ToAxis(v);
    }

    /// <summary>
    /// Each trial's weight: 1, or, with <see cref="TpeOptions.RampWeights"/> and more than 25
    /// trials, older trials fading linearly towards 1/n (as Optuna's default_weights), newest at 1.
    /// </summary>
    private List<double> Weights(List<SearchTrial> trials)
    {
        var weights = trials.Select(_ => 1.0).ToList();
        if (!Options.RampWeights || trials.Count <= 25) return weights;
        var byAge = trials.Select((t, i) => (t.Number, i)).OrderBy(x => x.Number).Select(x => x.i).ToArray();
        var fading = trials.Count - 25;
        var floor = 1.0 / trials.Count;
        for (var r = 0; r < fading; r++)
            weights[byAge[r]] = fading == 1 ? floor : floor + (1 - floor) * r / (fading - 1);
        return weights;
    }

    /// <summary>Integers to the centre of their bucket, so a candidate's density is its value's, whatever point drew it.</summary>
    private static double[] Snap(ParzenMixture.Dimension[] dims, double[] x)
    {
        for (var d = 0; d < dims.Length; d++)
            if (dims[d].Axis is { IsInteger: true } axis) x[d] = axis.ToAxis(axis.FromAxis(x[d]));
        return x;
    }

    // NaN (a parameter the trial stepped from did not use) becomes the code's value; inactive ones keep it.
    private static Assignment ToAssignment(SearchSpace space, ParzenMixture.Dimension[] dims, double[] x) =>
        space.Canonical(new(space.Parameters.Select((p, d) => (p.Name, Value: double.IsNaN(x[d]) ? p.Current : p.Domain is Choice c ? c.Values[(int)x[d]] : dims[d].Axis!.FromAxis(x[d])))
            .ToDictionary(kv => kv.Name, kv => kv.Value)));
}

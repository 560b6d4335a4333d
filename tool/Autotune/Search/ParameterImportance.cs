namespace Autotune.Search;

/// <summary>One parameter's part in how much the objective varied: shares of a study add up to 1.</summary>
public sealed record ParameterShare(string Parameter, double Share);

/// <summary>
/// Which hyperparameters mattered, judged from the completed trials: each parameter's share of the
/// objective's variance that it explains alone, highest first. <see cref="Reason"/> says why there
/// are no shares (too few trials, nothing varied); then <see cref="Shares"/> is empty.
///
/// The method is an fANOVA-style decomposition (Hutter, Hoos and Leyton-Brown, "An Efficient Approach
/// for Assessing Hyperparameter Importance", ICML 2014) over a small random forest of regression trees
/// fit to the trials: each tree cuts the space into boxes of constant objective, so the objective's
/// mean over every other parameter, as a function of one parameter, is exact and cheap to compute,
/// and its variance over that parameter's whole range is the parameter's main effect. Chosen over
/// permutation importance because it integrates over the declared space rather than over the trials:
/// TPE crowds its trials near the optimum, and permuting a column of such trials asks the forest
/// about combinations it never saw; it also never goes negative, and the same seed gives the same
/// forest, so the same trials give the same shares. Interactions are not counted: shares divide the
/// main effects among themselves. Numeric parameters are encoded on the axis strategies search (log
/// ranges in log units, integers by their buckets) scaled to [0, 1], choices as category indexes
/// split by sets, so every value of a domain weighs the same. Direction plays no part: variance is
/// the same whichever way the metric is better.
/// </summary>
public sealed record ParameterImportance(IReadOnlyList<ParameterShare> Shares, int Trials, int Needed, string? Reason)
{
    /// <summary>The forest's seed: fixed, so a report made twice from the same trials says the same thing.</summary>
    public const int Seed = 0;

    public bool IsKnown => Reason is null;

    /// <summary>
    /// Trials needed for shares that mean anything: two per parameter (fewer cannot tell the
    /// parameters' effects apart, as a plane through p parameters needs p + 1 points), and never
    /// fewer than 8 (with at least two trials a leaf, 8 trials make trees of four boxes at most).
    /// </summary>
    public static int MinimumTrials(SearchSpace space) => Math.Max(8, 2 * space.Parameters.Count);

    /// <summary>
    /// The shares from the trials that completed with a finite objective and values inside the space
    /// (the baseline may lie outside a choice's list; it is left out). Pruned trials are left out too:
    /// their values are from fewer epochs and would read as effects of the parameters.
    /// </summary>
    public static ParameterImportance Of(SearchSpace space, IReadOnlyList<SearchTrial> trials)
    {
        var needed = MinimumTrials(space);
        var encoders = space.Parameters.Select(Encoder).ToArray();
        var categories = space.Parameters.Select(p => p.Domain is Choice c ? c.Values.Count : 0).ToArray();
        var rows = new List<double[]>();
        var objective = new List<double>();
        foreach (var t in trials.Where(t => t.State == SearchTrialState.Completed).OrderBy(t => t.Number))
        {
            if (t.Objective is not { } y) continue;
            var row = space.Parameters.Select((p, i) => t.Assignment.Values.TryGetValue(p.Name, out var v) ? encoders[i](v) : double.NaN).ToArray();
            if (row.Any(double.IsNaN)) continue;
            rows.Add(row);
            objective.Add(y);
        }

        ParameterImportance None(string reason) => new([], rows.Count, needed, reason);
        if (space.Parameters.Count == 0) return None("the search space has no parameters");
        if (rows.Count < needed) return None($"not enough completed trials ({rows.Count} of {needed} needed)");
        if (objective.Max() - objective.Min() <= 0) return None("every completed trial has the same value: no parameter made a difference");

        var forest = RegressionForest.Fit([.. rows], [.. objective], categories, Seed);
        var fractions = new double[categories.Length];
        var trees = 0;
        foreach (var leaves in forest)
        {
            if (MainEffects(leaves, categories) is not { } effects) continue;
            for (var i = 0; i < fractions.Length; i++) fractions[i] += effects[i];
            trees++;
        }
        var sum = fractions.Sum();
        if (trees == 0 || sum <= 0) return None("the trials show no effect of any single parameter");

        var shares = space.Parameters.Select((p, i) => new ParameterShare(p.Name, fractions[i] / sum))
            .Select((s, i) => (s, i)).OrderByDescending(x => x.s.Share).ThenBy(x => x.i).Select(x => x.s).ToList();
        return new ParameterImportance(shares, rows.Count, needed, null);
    }

    /// <summary>A value's coordinate: [0, 1] along a numeric axis, the index in a choice; NaN when it is not in the domain.</summary>
    private static Func<object, double> Encoder(Parameter p)
    {
        if (p.Domain is Choice choice) return v => choice.IndexOf(v) is var i and >= 0 ? i : double.NaN;
        var axis = NumericAxis.For(p.Domain);
        if (axis is null) return _ => double.NaN;
        return v =>
        {
            var a = axis.ToAxis(v);
            return double.IsNaN(a) ? double.NaN : axis.Width > 0 ? (a - axis.Low) / axis.Width : 0;
        };
    }

    /// <summary>
    /// Per parameter, the variance of the tree's objective averaged over every other parameter, as a
    /// fraction of the tree's total variance over the space; null for a tree of one leaf. The space
    /// has measure 1: a numeric parameter spans [0, 1], each of a choice's K values weighs 1/K.
    /// </summary>
    private static double[]? MainEffects(IReadOnlyList<ForestLeaf> leaves, int[] categories)
    {
        var p = categories.Length;
        double Measure(ForestLeaf leaf, int i) => categories[i] == 0
            ? leaf.Upper[i] - leaf.Lower[i]
            : (double)leaf.Categories[i]!.Count(a => a) / categories[i];
        var measures = leaves.Select(l => Enumerable.Range(0, p).Select(i => Measure(l, i)).ToArray()).ToArray();
        var volumes = measures.Select(m => m.Aggregate(1.0, (a, b) => a * b)).ToArray();

        var mean = leaves.Select((l, k) => l.Value * volumes[k]).Sum();
        var total = leaves.Select((l, k) => (l.Value - mean) * (l.Value - mean) * volumes[k]).Sum();
        if (leaves.Count < 2 || !(total > 0)) return null;

        var effects = new double[p];
        for (var i = 0; i < p; i++)
        {
            // The volume of each leaf in every dimension but i: the weight its value has in the marginal.
            var others = measures.Select(m => Enumerable.Range(0, p).Where(j => j != i).Aggregate(1.0, (a, j) => a * m[j])).ToArray();
            double Marginal(Func<ForestLeaf, bool> covers) => leaves.Select((l, k) => covers(l) ? l.Value * others[k] : 0).Sum();

            double variance = 0;
            if (categories[i] > 0)
            {
                for (var c = 0; c < categories[i]; c++)
                {
                    var f = Marginal(l => l.Categories[i]![c]);
                    variance += (f - mean) * (f - mean) / categories[i];
                }
            }
            else
            {
                var cuts = leaves.SelectMany(l => new[] { l.Lower[i], l.Upper[i] }).Append(0).Append(1).Distinct().Order().ToArray();
                for (var s = 0; s + 1 < cuts.Length; s++)
                {
                    var mid = (cuts[s] + cuts[s + 1]) / 2;
                    var f = Marginal(l => l.Lower[i] <= mid && mid < l.Upper[i]);
                    variance += (f - mean) * (f - mean) * (cuts[s + 1] - cuts[s]);
                }
            }
            effects[i] = variance / total;
        }
        return effects;
    }
}

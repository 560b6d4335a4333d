namespace Autotune.Search;

/// <summary>
/// One leaf of a regression tree: the box of the search space it covers and the mean objective of
/// the trials that fell into it. Coordinates are ParameterImportance's encoding: a numeric
/// parameter runs over [0, 1] (Lower..Upper), a choice is a set of category indexes (Categories,
/// null for a numeric one).
/// </summary>
internal sealed record ForestLeaf(double Value, double[] Lower, double[] Upper, bool[]?[] Categories);

/// <summary>
/// A small random forest of regression trees (bagged CART, squared error), each tree kept as the
/// partition of the space its leaves make: that is all the variance decomposition needs, and it
/// never predicts. Every split considers every parameter: with a handful of parameters and a few
/// dozen trials, a random subset per split hands splits to parameters that do not matter whenever
/// the one that does is left out, and the shares would say they mattered.
/// </summary>
internal static class RegressionForest
{
    public const int Trees = 32;
    private const int MinLeaf = 2;
    private const int MaxDepth = 10;

    /// <param name="x">One row per trial: a numeric parameter in [0, 1], a choice as its index.</param>
    /// <param name="y">The objective of each trial.</param>
    /// <param name="categories">Per parameter, how many values a choice has; 0 for a numeric one.</param>
    public static IReadOnlyList<IReadOnlyList<ForestLeaf>> Fit(double[][] x, double[] y, int[] categories, int seed)
    {
        var rng = new Random(seed);
        var forest = new List<IReadOnlyList<ForestLeaf>>(Trees);
        for (var t = 0; t < Trees; t++)
        {
            var sample = new int[y.Length];
            for (var i = 0; i < sample.Length; i++) sample[i] = rng.Next(y.Length);
            var leaves = new List<ForestLeaf>();
            var lower = new double[categories.Length];
            var upper = Enumerable.Repeat(1.0, categories.Length).ToArray();
            var allowed = categories.Select(k => k > 0 ? Enumerable.Repeat(true, k).ToArray() : null).ToArray();
            Grow(x, y, categories, sample, 0, lower, upper, allowed, leaves);
            forest.Add(leaves);
        }
        return forest;
    }

    private static void Grow(double[][] x, double[] y, int[] categories, int[] rows, int depth,
        double[] lower, double[] upper, bool[]?[] allowed, List<ForestLeaf> leaves)
    {
        var split = depth < MaxDepth && rows.Length >= 2 * MinLeaf ? BestSplit(x, y, categories, rows, allowed) : null;
        if (split is null)
        {
            leaves.Add(new ForestLeaf(rows.Average(r => y[r]), (double[])lower.Clone(), (double[])upper.Clone(),
                allowed.Select(a => (bool[]?)a?.Clone()).ToArray()));
            return;
        }
        var (feature, threshold, left) = split.Value;
        bool GoesLeft(int r) => left is null ? x[r][feature] < threshold : left[(int)x[r][feature]];
        var leftRows = rows.Where(GoesLeft).ToArray();
        var rightRows = rows.Where(r => !GoesLeft(r)).ToArray();

        if (left is null)
        {
            var (low, high) = (lower[feature], upper[feature]);
            upper[feature] = threshold;
            Grow(x, y, categories, leftRows, depth + 1, lower, upper, allowed, leaves);
            (lower[feature], upper[feature]) = (threshold, high);
            Grow(x, y, categories, rightRows, depth + 1, lower, upper, allowed, leaves);
            lower[feature] = low;
        }
        else
        {
            var here = allowed[feature]!;
            allowed[feature] = here.Select((a, c) => a && left[c]).ToArray();
            Grow(x, y, categories, leftRows, depth + 1, lower, upper, allowed, leaves);
            allowed[feature] = here.Select((a, c) => a && !left[c]).ToArray();
            Grow(x, y, categories, rightRows, depth + 1, lower, upper, allowed, leaves);
            allowed[feature] = here;
        }
    }

    /// <summary>
    /// The split that lowers the squared error most, or null when none does: a threshold between two
    /// values for a numeric parameter, a set of categories for a choice (ordered by their mean, which
    /// finds the best of all subsets for squared error). Ties keep the first found, so fits repeat.
    /// </summary>
    private static (int Feature, double Threshold, bool[]? Left)? BestSplit(double[][] x, double[] y, int[] categories, int[] rows, bool[]?[] allowed)
    {
        var total = rows.Sum(r => y[r]);
        var best = total * total / rows.Length;
        var spread = rows.Max(r => y[r]) - rows.Min(r => y[r]);
        if (spread <= 0) return null;
        var margin = 1e-12 * rows.Sum(r => y[r] * y[r]);
        (int, double, bool[]?)? found = null;

        for (var f = 0; f < categories.Length; f++)
        {
            // Rows of one value form one group; groups go left in this order until the cut.
            List<(double Key, int[] Rows)> groups = categories[f] == 0
                ? rows.GroupBy(r => x[r][f]).Select(g => (g.Key, g.ToArray())).OrderBy(g => g.Key).ToList()
                : rows.GroupBy(r => x[r][f]).Select(g => (g.Key, g.ToArray()))
                    .OrderBy(g => g.Item2.Average(r => y[r])).ThenBy(g => g.Key).ToList();
            if (groups.Count < 2) continue;
            double sumLeft = 0;
            var countLeft = 0;
            for (var g = 0; g < groups.Count - 1; g++)
            {
                sumLeft += groups[g].Rows.Sum(r => y[r]);
                countLeft += groups[g].Rows.Length;
                var countRight = rows.Length - countLeft;
                if (countLeft < MinLeaf || countRight < MinLeaf) continue;
                var sumRight = total - sumLeft;
                var score = sumLeft * sumLeft / countLeft + sumRight * sumRight / countRight;
                if (score <= best + margin) continue;
                best = score;
                found = categories[f] == 0
                    ? (f, (groups[g].Key + groups[g + 1].Key) / 2, null)
                    : (f, 0, CategoriesLeft(groups, g, countLeft, countRight, allowed[f]!));
            }
        }
        return found;
    }

    /// <summary>
    /// The categories that go left: the first groups, plus, when the left side holds more trials,
    /// the categories no trial in this node has (they must fall somewhere; the larger side is the
    /// better guess for values never tried here).
    /// </summary>
    private static bool[] CategoriesLeft(List<(double Key, int[] Rows)> groups, int cut, int countLeft, int countRight, bool[] allowed)
    {
        var seen = groups.Select(g => (int)g.Key).ToHashSet();
        var left = new bool[allowed.Length];
        for (var c = 0; c < left.Length; c++) left[c] = allowed[c] && !seen.Contains(c) && countLeft >= countRight;
        for (var g = 0; g <= cut; g++) left[(int)groups[g].Key] = true;
        return left;
    }
}

namespace Autotune.Search;

/// <summary>
/// TPE's density over a whole assignment: one kernel per observed trial and one broad prior kernel.
/// A kernel is a product over the parameters: a normal truncated to the axis for a numeric one (an
/// integer's probability is the mass of its bucket), a categorical for a choice that puts most of
/// its weight on the observed value and a prior share on every value, so that no value is ever out
/// of reach. Joint kernels keep the values of one trial together, which is what lets TPE follow an
/// interaction (the best learning rate depends on the optimizer). With one parameter it is a
/// univariate estimator as in Bergstra et al. 2011, with Scott's widths instead of the paper's
/// neighbour gaps (the gaps lost on bench/search: bench/RESULTS.md, "Search").
/// </summary>
internal sealed class ParzenMixture
{
    /// <summary>A parameter as the mixture sees it: an axis (Low..High, with integer buckets) or a number of choices.</summary>
    public sealed record Dimension(NumericAxis? Axis, int Choices)
    {
        public static Dimension For(Domain domain) =>
            domain is Choice c ? new Dimension(null, c.Values.Count) : new Dimension(NumericAxis.For(domain), 0);
    }

    private readonly Dimension[] dims;
    private readonly double[] logWeights;
    private readonly double[][] mus, sigmas, logNormalisers;
    private readonly double[][][] choiceProbabilities;

    /// <param name="points">one row per trial: the axis position of a numeric value, the index of a choice; NaN where it had none.</param>
    /// <param name="weights">each trial's weight (older trials may count less).</param>
    public ParzenMixture(Dimension[] dims, IReadOnlyList<double[]> points, IReadOnlyList<double> weights, double priorWeight)
    {
        this.dims = dims;
        var n = points.Count;
        var kernels = n + 1; // the last is the prior
        mus = new double[kernels][];
        sigmas = new double[kernels][];
        logNormalisers = new double[kernels][];
        choiceProbabilities = new double[kernels][][];
        var totalWeight = weights.Sum() + priorWeight;
        logWeights = [.. weights.Select(w => Math.Log(w / totalWeight)), Math.Log(priorWeight / totalWeight)];
        for (var k = 0; k < kernels; k++)
        {
            mus[k] = new double[dims.Length];
            sigmas[k] = new double[dims.Length];
            logNormalisers[k] = new double[dims.Length];
            choiceProbabilities[k] = new double[dims.Length][];
        }

        for (var d = 0; d < dims.Length; d++)
        {
            var dim = dims[d];
            if (dim.Axis is null)
            {
                // Each trial's kernel shares priorWeight/(n+1) over all values besides its own one (as Optuna's);
                // the prior kernel is uniform.
                var share = priorWeight / kernels;
                for (var k = 0; k < kernels; k++)
                {
                    var p = Enumerable.Repeat(k < n ? share : 1.0, dim.Choices).ToArray();
                    if (k < n && points[k][d] is var x && double.IsFinite(x)) p[(int)x] += 1;
                    var sum = p.Sum();
                    choiceProbabilities[k][d] = [.. p.Select(v => v / sum)];
                }
                continue;
            }

            var axis = dim.Axis;
            var width = Math.Max(axis.Width, 1e-12);
            // Scott's rule in d dimensions (as Optuna's multivariate TPE): narrower as trials accumulate,
            // but never below the floor that keeps one lucky point from being overfitted ("magic clip").
            var observed = Enumerable.Range(0, n).Count(k => double.IsFinite(points[k][d]));
            var scott = 0.2 * Math.Pow(Math.Max(1, observed), -1.0 / (dims.Length + 4)) * width;
            var sigma = Math.Clamp(scott, width / Math.Min(100.0, 1.0 + kernels), width);
            for (var k = 0; k < kernels; k++)
            {
                var isPrior = k == n || !double.IsFinite(points[k][d]);
                mus[k][d] = isPrior ? (axis.Low + axis.High) / 2 : Math.Clamp(points[k][d], axis.Low, axis.High);
                sigmas[k][d] = isPrior ? width : sigma;
                logNormalisers[k][d] = Math.Log(Math.Max(1e-300, Gaussian.Mass(axis.Low, axis.High, mus[k][d], sigmas[k][d])));
            }
        }
    }

    /// <summary>A draw: pick a kernel by weight, then each dimension from that kernel (axis positions and choice indices).</summary>
    public double[] Sample(Random rng)
    {
        var u = rng.NextDouble();
        var k = 0;
        for (var acc = Math.Exp(logWeights[0]); k < logWeights.Length - 1 && u >= acc; acc += Math.Exp(logWeights[++k])) { }
        var x = new double[dims.Length];
        for (var d = 0; d < dims.Length; d++)
            x[d] = dims[d].Axis is { } axis ? SampleTruncated(axis, mus[k][d], sigmas[k][d], rng) : SampleChoice(choiceProbabilities[k][d], rng);
        return x;
    }

    /// <summary>log density of a point (for integers and choices: the log probability of its bucket or value).</summary>
    public double LogDensity(double[] x)
    {
        var terms = new double[logWeights.Length];
        var max = double.NegativeInfinity;
        for (var k = 0; k < terms.Length; k++)
        {
            var t = logWeights[k];
            for (var d = 0; d < dims.Length && !double.IsNegativeInfinity(t); d++)
                t += LogKernel(k, d, x[d]);
            terms[k] = t;
            max = Math.Max(max, t);
        }
        if (double.IsNegativeInfinity(max)) return max;
        var sum = 0.0;
        foreach (var t in terms) sum += Math.Exp(t - max);
        return max + Math.Log(sum);
    }

    private double LogKernel(int k, int d, double x)
    {
        var dim = dims[d];
        if (double.IsNaN(x)) return 0; // a parameter the point does not use (inactive): each kernel integrates to 1 over it
        if (dim.Axis is not { } axis) return Math.Log(Math.Max(1e-300, choiceProbabilities[k][d][(int)x]));
        if (axis.IsInteger && axis.Bucket(axis.FromAxis(x)) is { } b)
            return Math.Log(Math.Max(1e-300, Gaussian.Mass(b.From, b.To, mus[k][d], sigmas[k][d]))) - logNormalisers[k][d];
        return Gaussian.LogPdf(x, mus[k][d], sigmas[k][d]) - logNormalisers[k][d];
    }

    private static double SampleTruncated(NumericAxis axis, double mu, double sigma, Random rng)
    {
        // Every kernel centres inside the axis and is at most as wide as it, so rejection accepts often.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var x = mu + sigma * Gaussian.Draw(rng);
            if (x >= axis.Low && x <= axis.High) return x;
        }
        return mu;
    }

    private static int SampleChoice(double[] p, Random rng)
    {
        var u = rng.NextDouble();
        var acc = 0.0;
        for (var i = 0; i < p.Length - 1; i++)
            if (u < (acc += p[i])) return i;
        return p.Length - 1;
    }
}

namespace Autotune.Search;

/// <summary>
/// One numeric parameter's density in TPE (Bergstra et al. 2011, section 4): a mixture of normals,
/// one on each observed point and one broad prior over the whole axis, each truncated to the axis.
/// A point's width is the larger gap to its neighbours, so the estimate is sharp where points are
/// dense and wide where they are sparse.
/// </summary>
internal sealed class ParzenEstimator
{
    private readonly double low, high;
    private readonly double[] mus, sigmas, logWeights, logNormalisers;

    public ParzenEstimator(IReadOnlyList<double> points, double low, double high, double priorWeight = 1.0)
    {
        this.low = low;
        this.high = high;
        var width = high - low;
        var prior = (low + high) / 2;

        // The prior takes part in the neighbour gaps, as in the paper's adaptive Parzen estimator.
        var centres = points.Where(double.IsFinite).Select(p => (Mu: Math.Clamp(p, low, high), IsPrior: false))
            .Append((Mu: prior, IsPrior: true))
            .OrderBy(c => c.Mu).ThenBy(c => c.IsPrior)
            .ToArray();
        var n = centres.Length;
        mus = new double[n];
        sigmas = new double[n];
        logWeights = new double[n];
        logNormalisers = new double[n];

        // Too narrow a kernel overfits one lucky point; the floor shrinks as evidence grows.
        var minSigma = width / Math.Min(100.0, 1.0 + n);
        var totalWeight = (n - 1) + priorWeight;
        for (var i = 0; i < n; i++)
        {
            mus[i] = centres[i].Mu;
            if (centres[i].IsPrior)
            {
                sigmas[i] = width;
                logWeights[i] = Math.Log(priorWeight / totalWeight);
            }
            else
            {
                var left = i > 0 ? centres[i].Mu - centres[i - 1].Mu : centres[i].Mu - low;
                var right = i < n - 1 ? centres[i + 1].Mu - centres[i].Mu : high - centres[i].Mu;
                sigmas[i] = Math.Clamp(Math.Max(left, right), minSigma, width);
                logWeights[i] = Math.Log(1.0 / totalWeight);
            }
            logNormalisers[i] = Math.Log(Math.Max(1e-300, Gaussian.Mass(low, high, mus[i], sigmas[i])));
        }
    }

    /// <summary>A draw from the mixture: pick a component by weight, then a normal draw kept inside the axis.</summary>
    public double Sample(Random rng)
    {
        var u = rng.NextDouble();
        var k = 0;
        for (var acc = Math.Exp(logWeights[0]); k < mus.Length - 1 && u >= acc; acc += Math.Exp(logWeights[++k])) { }

        // Every kernel centres inside the axis and is at most as wide as it, so rejection accepts often.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var x = mus[k] + sigmas[k] * Gaussian.Draw(rng);
            if (x >= low && x <= high) return x;
        }
        return mus[k];
    }

    /// <summary>log density at x (for reals).</summary>
    public double LogDensity(double x) =>
        LogSumExp(i => logWeights[i] + Gaussian.LogPdf(x, mus[i], sigmas[i]) - logNormalisers[i]);

    /// <summary>log probability of the stretch [from, to] (for integers: the bucket that rounds to one value).</summary>
    public double LogMass(double from, double to) =>
        LogSumExp(i => logWeights[i] + Math.Log(Math.Max(1e-300, Gaussian.Mass(from, to, mus[i], sigmas[i]))) - logNormalisers[i]);

    private double LogSumExp(Func<int, double> term)
    {
        var terms = new double[mus.Length];
        var max = double.NegativeInfinity;
        for (var i = 0; i < terms.Length; i++) max = Math.Max(max, terms[i] = term(i));
        var sum = 0.0;
        foreach (var t in terms) sum += Math.Exp(t - max);
        return max + Math.Log(sum);
    }
}

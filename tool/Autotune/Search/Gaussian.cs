namespace Autotune.Search;

/// <summary>The few normal-distribution functions TPE needs; .NET has no erf.</summary>
internal static class Gaussian
{
    private static readonly double LogSqrtTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>A standard normal draw (Box-Muller): only the caller's Random, so draws replay exactly.</summary>
    public static double Draw(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble(); // (0, 1]: the log stays finite
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>log of the N(mu, sigma) density at x.</summary>
    public static double LogPdf(double x, double mu, double sigma)
    {
        var z = (x - mu) / sigma;
        return -0.5 * z * z - Math.Log(sigma) - LogSqrtTwoPi;
    }

    /// <summary>P(a &lt; X &lt; b) for X ~ N(mu, sigma), computed from the nearer tail so small masses keep their precision.</summary>
    public static double Mass(double a, double b, double mu, double sigma)
    {
        var za = (a - mu) / sigma;
        var zb = (b - mu) / sigma;
        if (za >= 0) return Math.Max(0, UpperTail(za) - UpperTail(zb));
        if (zb <= 0) return Math.Max(0, UpperTail(-zb) - UpperTail(-za));
        return Math.Max(0, 1 - UpperTail(-za) - UpperTail(zb));
    }

    /// <summary>P(Z &gt; z) for a standard normal Z.</summary>
    public static double UpperTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    /// <summary>
    /// The complementary error function by the Chebyshev fit in Numerical Recipes (relative error
    /// below 1.2e-7 everywhere, tails included): plenty for ranking candidates.
    /// </summary>
    public static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1.0 / (1.0 + 0.5 * z);
        var poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
                   t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        var tail = t * Math.Exp(poly);
        return x >= 0 ? tail : 2.0 - tail;
    }
}

namespace Autotune.Search;

/// <summary>
/// How much a study's metric moves from epoch to epoch by chance, read from the trials' own epochs. A
/// trial's noise is the median size of its last epochs' second differences (v[k] - 2 v[k-1] + v[k-2]),
/// which a steady climb or fall cancels out, scaled to a standard deviation; the study's is the median
/// over its trials. The spirals' accuracy at chance wanders by about 0.015 an epoch, MNIST's near 99 %
/// by about 0.001: trials closer than a few of these are not told apart by their metric.
/// </summary>
public static class MetricNoise
{
    /// <summary>Epochs a trial needs before its noise is read: two second differences.</summary>
    public const int MinEpochs = 4;

    /// <summary>The last epochs read per trial: early epochs climb fastest and are not noise.</summary>
    public const int LastEpochs = 10;

    // For independent noise of deviation s, a second difference has deviation s * sqrt(6), and the
    // median of |normal(0, 1)| is 0.6745.
    private static readonly double MedianToSigma = 1 / (0.6745 * Math.Sqrt(6));

    /// <summary>The median per-trial noise of these epoch series; 0 when no series has <see cref="MinEpochs"/> finite epochs.</summary>
    public static double Sigma(IEnumerable<IReadOnlyList<double>> epochSeries)
    {
        var perTrial = epochSeries.Select(Of).Where(s => s is not null).Select(s => s!.Value).ToList();
        return perTrial.Count == 0 ? 0 : Median(perTrial);
    }

    /// <summary>One trial's noise, or null with fewer than <see cref="MinEpochs"/> finite epochs.</summary>
    public static double? Of(IReadOnlyList<double> epochValues)
    {
        var finite = epochValues.Where(double.IsFinite).TakeLast(LastEpochs).ToList();
        if (finite.Count < MinEpochs) return null;
        var second = Enumerable.Range(2, finite.Count - 2).Select(k => Math.Abs(finite[k] - 2 * finite[k - 1] + finite[k - 2])).ToList();
        return Median(second) * MedianToSigma;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}

using System.Globalization;

namespace Autotune.Train.Metrics;

/// <summary>
/// Tells a trial that went wrong from one that is merely bad: a metric that is NaN or infinite, or a
/// loss ("loss", "val_loss", ...) that grew to more than ten times its first epoch's value, fails the
/// trial with that reason; the study goes on with the next.
/// </summary>
public static class Divergence
{
    public const double Factor = 10;

    public static string? Check(MetricLine epoch, IReadOnlyList<MetricLine> earlier)
    {
        foreach (var (name, value) in epoch.Metrics)
        {
            if (!double.IsFinite(value))
                return $"{name} is {Format(value)} at epoch {epoch.Epoch}";
            if (!MetricName.IsLoss(name)) continue;
            var first = earlier.FirstOrDefault(e => e.Epoch < epoch.Epoch && e.Metrics.ContainsKey(name));
            if (first is not null && first.Metrics[name] > 0 && value > Factor * first.Metrics[name])
                return string.Create(CultureInfo.InvariantCulture,
                    $"{name} diverged: {first.Metrics[name]:0.####} at epoch {first.Epoch}, {value:0.####} at epoch {epoch.Epoch}");
        }
        return null;
    }

    private static string Format(double v) => double.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
}

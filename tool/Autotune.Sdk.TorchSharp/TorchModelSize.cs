using static TorchSharp.torch;

namespace Autotune.TorchSharp;

/// <summary>The model's size as a metric, so a study can bound it: `autotune run --constraint "params&lt;=200000"`.</summary>
public static class TorchModelSize
{
    /// <summary>The metric name the tool's constraints refer to.</summary>
    public const string Metric = "params";

    /// <summary>
    /// Counts the elements of every parameter of <paramref name="module"/> (trainable or not, as
    /// <c>module.parameters()</c> yields them) and reports the count as "params" with every epoch from now on.
    /// Call it once, after building the model; returns the count.
    /// </summary>
    public static long ReportParameterCount(this Trial trial, nn.Module module)
    {
        var count = module.parameters().Sum(p => p.numel());
        trial.ReportFixedMetric(Metric, count);
        return count;
    }
}

using System.Diagnostics;
using static TorchSharp.torch;

namespace Autotune.TorchSharp;

/// <summary>How long the model takes to answer, as a metric a study can bound: `autotune run --constraint "latency_ms&lt;=5"`.</summary>
public static class TorchInferenceLatency
{
    /// <summary>The metric name the tool's constraints refer to.</summary>
    public const string Metric = "latency_ms";

    /// <summary>
    /// Times <paramref name="runs"/> forward passes of <paramref name="input"/> (a request as the model will get it in
    /// production, such as one image) in eval mode without gradients, after two passes that warm the allocator up,
    /// and reports the median in milliseconds as "latency_ms" with every epoch from now on; returns it. The median,
    /// because one pass slowed by the machine's other work says nothing about the model. Each pass ends by reading a
    /// number from its output, so a GPU has finished it when the clock stops. Call it once, after building the model and
    /// before training: it leaves the module in training mode, as a new module is.
    /// </summary>
    public static double ReportInferenceLatency(this Trial trial, nn.Module<Tensor, Tensor> module, Tensor input, int runs = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        module.eval();
        var times = new List<double>(runs);
        using (no_grad())
        {
            for (var i = 0; i < runs + 2; i++)
            {
                using var scope = NewDisposeScope();
                var clock = Stopwatch.StartNew();
                module.forward(input).sum().item<float>();
                if (i >= 2) times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        module.train();
        times.Sort();
        var median = runs % 2 == 1 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
        trial.ReportFixedMetric(Metric, median);
        return median;
    }
}

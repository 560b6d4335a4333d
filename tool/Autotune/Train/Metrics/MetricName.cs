namespace Autotune.Train.Metrics;

/// <summary>
/// How printed names become metric names, which printed numbers are never metrics, and how a target's
/// metric is found among the names a program printed.
/// </summary>
public static class MetricName
{
    /// <summary>"Average loss" and "val-acc" become "average_loss" and "val_acc"; case is dropped.</summary>
    public static string Normalize(string printed) =>
        string.Join('_', printed.Trim().ToLowerInvariant().Split([' ', '\t', '-'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// Counters, settings and timings people print beside their metrics: never read as a metric,
    /// so a target can never be matched against them.
    /// </summary>
    private static readonly HashSet<string> NotMetrics =
    [
        "lr", "learning_rate", "learningrate", "lr0", "step", "steps", "global_step", "batch", "batches", "batch_size",
        "iter", "iters", "iteration", "iterations", "it", "epochs", "time", "elapsed", "eta", "duration", "seed",
        "version", "v", "v_num", "samples", "images", "examples", "size", "workers", "threads", "gpu", "cpu", "device",
        "pid", "rank", "memory", "mem", "gpu_mem", "loaded", "total", "count", "n", "dotnet", "python", "torch",
        "torchsharp", "cuda", "warmup", "momentum", "weight_decay", "decay", "patience", "hidden", "layers",
        "from", "to", "training", "validating", "validation", "testing", "train", "test", "val", "eval",
    ];

    public static bool IsMetric(string normalized) =>
        normalized.Length > 0 && !NotMetrics.Contains(normalized)
        && !normalized.EndsWith("_lr", StringComparison.Ordinal) && !normalized.EndsWith("learning_rate", StringComparison.Ordinal)
        && !normalized.StartsWith("lr_", StringComparison.Ordinal);

    /// <summary>A loss by its name: "loss", or one ending in "_loss" ("val_loss", "average_loss").</summary>
    public static bool IsLoss(string normalized) => normalized == "loss" || normalized.EndsWith("_loss", StringComparison.Ordinal);

    /// <summary>Measured on held-out data, by its name: "val_loss", "valid_accuracy", "test_loss", "eval_loss", "dev_loss".</summary>
    public static bool IsHeldOut(string normalized) =>
        HeldOutPrefixes.Any(p => normalized.StartsWith(p, StringComparison.Ordinal));

    /// <summary>
    /// The loss that speaks for a trial beside the target's metric (<c>SearchTrial.Companion</c>), or null
    /// when the target is a loss itself or the program reports none: a held-out loss first ("val_loss"),
    /// then any other but the training loss ("average_loss" of PyTorch's test line), then "train_loss" or "loss".
    /// </summary>
    public static string? CompanionLoss(IEnumerable<string> names, string targetMetric)
    {
        var target = Normalize(targetMetric);
        if (IsLoss(target)) return null;
        return names.Where(n => IsLoss(n) && n != target).Distinct()
            .OrderBy(n => IsHeldOut(n) ? 0 : n is "loss" or "train_loss" or "training_loss" ? 2 : 1)
            .ThenBy(n => n, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static readonly string[] HeldOutPrefixes = ["val_", "valid_", "validation_", "test_", "eval_", "dev_"];

    /// <summary>True when a printed (normalized) name is the target's metric: equal after normalizing both.</summary>
    public static bool Matches(string normalized, string targetMetric) => normalized == Normalize(targetMetric);

    /// <summary>Names that end with the target's name ("test_accuracy" for "accuracy"): never taken, only suggested.</summary>
    public static IReadOnlyList<string> SimilarTo(string targetMetric, IEnumerable<string> names)
    {
        var target = Normalize(targetMetric);
        return names.Where(n => n != target && (n.EndsWith("_" + target, StringComparison.Ordinal) || n.StartsWith(target + "_", StringComparison.Ordinal)))
            .Distinct().Order(StringComparer.Ordinal).ToList();
    }
}

using Autotune.Cli;

namespace Autotune.Train.Metrics;

/// <summary>
/// The failure when a program without the SDK printed no metric autotune could take as the target's
/// (exit 4): what it printed instead, names that are close but not taken, and its last lines.
/// </summary>
public static class MissingMetric
{
    public static AutotuneException From(string? targetMetric, TrialResult result, string program)
    {
        var names = (result.NamesRead ?? []).Order(StringComparer.Ordinal).ToList();
        var read = names.Count == 0 ? "no metric at all" : $"only {string.Join(", ", names)}";
        string message;
        if (targetMetric is null)
            message = $"{program}: the program printed no metric autotune could read: print one per epoch such as \"Epoch 3/10 - loss: 0.21 - accuracy: 0.93\", or give a regular expression in autotune.json \"metrics\"";
        else
        {
            var similar = MetricName.SimilarTo(targetMetric, names);
            var why = similar.Count > 1 ? $"ambiguous: {string.Join(", ", similar)} all look like it"
                : similar.Count == 1 ? $"{similar[0]} is close but is another metric" : $"autotune read {read}";
            message = $"{program}: the program printed no metric '{targetMetric}' ({why}): name the metric in --target as printed, or give a regular expression for it in autotune.json \"metrics\"";
        }
        var lines = result.LastLines.Count == 0 ? "(the program printed nothing)" : string.Join('\n', result.LastLines);
        return new AutotuneException(ExitCodes.ModelFailed, message, "last lines it printed:\n" + lines);
    }
}

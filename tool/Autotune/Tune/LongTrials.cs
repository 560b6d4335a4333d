using Autotune.Rewrite.Init;
using Autotune.Search;
using Autotune.Study;

namespace Autotune.Tune;

/// <summary>
/// Epochs as the fidelity, not a searched value (Hyperband and ASHA practice): after the code's own values, every
/// trial is proposed with the most epochs its space (and --max-epochs) allows, and the target, ASHA and the plateau
/// rule end it as soon as it has shown enough. A searched epoch count spends whole trials on runs too short to show
/// what their other values can do (bench/foreign: good rates and widths judged after 3 of 12 epochs), and the
/// strategies cannot tell "too few epochs" from "bad values". The epoch a trial stopped at is what it needed.
/// </summary>
public sealed record LongTrials(string Parameter, object Most)
{
    /// <summary>The space's epoch count (a parameter named as one, integers) and its largest allowed value; null when it has none.</summary>
    public static LongTrials? For(SearchSpace space, int? maxEpochs)
    {
        foreach (var p in space.Parameters)
        {
            if (LiftRoles.FromName(p.Name) != LiftRole.Epochs) continue;
            var most = p.Domain switch
            {
                IntRange r => LargestStep(r, maxEpochs),
                Choice c when c.Values.All(v => v is long) => c.Values.Cast<long>().Where(v => maxEpochs is null || v <= maxEpochs)
                    .DefaultIfEmpty(c.Values.Cast<long>().Min()).Max(),
                _ => (long?)null,
            };
            if (most is { } m) return new LongTrials(p.Name, m);
        }
        return null;
    }

    private static long LargestStep(IntRange r, int? maxEpochs)
    {
        var top = maxEpochs is { } cap ? Math.Clamp(cap, r.Min, r.Max) : r.Max;
        return r.Step <= 1 ? top : r.Min + (top - r.Min) / r.Step * r.Step;
    }

    /// <summary>
    /// The values that give <paramref name="trial"/>'s value: its epoch count set to the epoch the value was measured at,
    /// when the trial stopped before the epochs it planned (the target met at epoch 5 of 16, a plateau at 9). Written into
    /// the code, they train what the study measured, with the same seed the same epochs; the planned count would train on
    /// past the measured value, and may end below the target. Unchanged when the space has no epoch count.
    /// </summary>
    public static Assignment AsMeasured(StoredTrial trial, SearchSpace space, string metric)
    {
        if (For(space, null) is not { } epochs || trial.Value is not { } value
            || !trial.Values.Values.TryGetValue(epochs.Parameter, out var planned) || planned is not long plannedEpochs) return trial.Values;
        var measured = trial.Metrics.Where(kv => kv.Value.TryGetValue(metric, out var v) && v.Equals(value)).Select(kv => kv.Key).DefaultIfEmpty(0).Max();
        if (measured < 1 || measured >= plannedEpochs) return trial.Values;
        var domain = space[epochs.Parameter].Domain;
        object written = domain is IntRange r ? Math.Max(measured, r.Min)
            : domain is Choice c ? c.Values.Cast<long>().Where(v => v >= measured).DefaultIfEmpty(plannedEpochs).Min() : plannedEpochs;
        return new Assignment(trial.Values.Values.ToDictionary(kv => kv.Key, kv => kv.Key == epochs.Parameter ? written : kv.Value));
    }

    /// <summary>The proposal with the most epochs.</summary>
    public Assignment Extend(Assignment proposal) =>
        proposal.Values.ContainsKey(Parameter)
            ? new Assignment(proposal.Values.ToDictionary(kv => kv.Key, kv => kv.Key == Parameter ? Most : kv.Value))
            : proposal;
}

using Autotune.Rewrite.Init;
using Autotune.Search;

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

    /// <summary>The proposal with the most epochs.</summary>
    public Assignment Extend(Assignment proposal) =>
        proposal.Values.ContainsKey(Parameter)
            ? new Assignment(proposal.Values.ToDictionary(kv => kv.Key, kv => kv.Key == Parameter ? Most : kv.Value))
            : proposal;
}

using System.Globalization;
using Autotune.Search;
using Autotune.Tests.Search;

/// <summary>
/// Cold against warm after a space changed (issue 22): an earlier study of 20 trials ran with the objective's
/// first parameter pinned at the code's value (the parameter the new space adds) and missed the target; the
/// new study over the whole space starts either from nothing (cold) or from those 20 trials, which all fit
/// the new space (warm), as `run` takes them over. Median new trials to the target, default strategy.
/// </summary>
static class WarmStart
{
    private const int Earlier = 20;

    public static void Run(IEnumerable<SyntheticObjective> objectives, int budget, int[] seeds)
    {
        Console.WriteLine($"Warm start after a parameter was added: an earlier study of {Earlier} trials with the first parameter pinned (cut before any trial at the target), then the whole space. Median new trials to the target over seeds {seeds[0]}..{seeds[^1]}, budget {budget}, misses in brackets.");
        Console.WriteLine("| objective | added parameter | cold | warm | warm / cold | earlier trials taken over (median) |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var objective in objectives)
        {
            var added = objective.Space.Parameters[0];
            var pinned = new SearchSpace([added with { Domain = new Choice([added.Current]) }, .. objective.Space.Parameters.Skip(1)]);
            var earlierObjective = objective with { Space = pinned };
            var cold = new List<int?>();
            var warm = new List<int?>();
            var taken = new List<int?>();
            foreach (var seed in seeds)
            {
                // The earlier study missed the target: it ends at the trial before any that reached it.
                var earlier = earlierObjective.Run(Strategies.Create(Strategies.Default, Earlier), Earlier, seed + 10_000)
                    .TakeWhile(t => t.Value > objective.Target).ToList();
                taken.Add(earlier.Count);
                cold.Add(objective.TrialsToTarget(Strategies.Create(Strategies.Default, budget), budget, seed));
                warm.Add(objective.TrialsToTarget(Strategies.Create(Strategies.Default, budget), budget, seed, earlier));
            }
            var (c, w) = (Median(cold), Median(warm));
            var ratio = double.IsFinite(c) && double.IsFinite(w) ? (w / c).ToString("F2", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine($"| {objective.Name} | {added.Name} | {Cell(cold, budget)} | {Cell(warm, budget)} | {ratio} | {Median(taken).ToString("0.#", CultureInfo.InvariantCulture)} |");
        }
    }

    private static string Cell(List<int?> counts, int budget)
    {
        var median = Median(counts);
        var missed = counts.Count(c => c is null);
        var text = double.IsFinite(median) ? median.ToString("0.#", CultureInfo.InvariantCulture) : $">{budget}";
        return missed > 0 ? $"{text} ({missed})" : text;
    }

    private static double Median(List<int?> counts)
    {
        var ordered = counts.Select(c => c is { } v ? (double)v : double.PositiveInfinity).Order().ToArray();
        var (a, b) = (ordered[(ordered.Length - 1) / 2], ordered[ordered.Length / 2]);
        return double.IsInfinity(a) || double.IsInfinity(b) ? Math.Max(a, b) : (a + b) / 2;
    }
}

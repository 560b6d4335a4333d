using System.Diagnostics;
using System.Globalization;
using Autotune.Search;
using Autotune.Tests.Search;

// Strategies on cheap synthetic objectives (minimising): median best after N trials over many seeds.
// Usage: dotnet run -c Release --project bench/search -- [trials=50] [seeds=50]
var trials = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
var seedCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
var seeds = Enumerable.Range(1, seedCount).ToArray();

Console.WriteLine($"{trials} trials, seeds 1..{seedCount}; median best value found (lower is better); regret = best - known minimum");
Console.WriteLine("| objective | minimum | random | tpe | tpe regret / random regret | seeds tpe beats random | grow (no seed) | tpe ms per proposal |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
foreach (var objective in SyntheticObjective.All)
{
    var random = seeds.Select(s => objective.BestAfter(new RandomStrategy(), trials, s)).ToArray();
    var clock = Stopwatch.StartNew();
    var tpe = seeds.Select(s => objective.BestAfter(new TpeStrategy(), trials, s)).ToArray();
    var msPerProposal = clock.Elapsed.TotalMilliseconds / (trials * seedCount);
    var grow = objective.BestAfter(new GrowStrategy(), trials, 1);
    var wins = seeds.Count(i => tpe[i - 1] < random[i - 1]);
    var ratio = (Median(tpe) - objective.Minimum) / (Median(random) - objective.Minimum);
    Console.WriteLine(FormattableString.Invariant(
        $"| {objective.Name} | {objective.Minimum:G4} | {Median(random):G4} | {Median(tpe):G4} | {ratio:F3} | {wins}/{seedCount} | {grow:G4} | {msPerProposal:F2} |"));
}

static double Median(double[] values)
{
    var ordered = values.Order().ToArray();
    return (ordered[(ordered.Length - 1) / 2] + ordered[ordered.Length / 2]) / 2;
}

using Autotune.Search;

namespace Autotune.Tests.Search;

/// <summary>
/// Cheap objectives with known minima, and a study loop without runner or store, for testing and
/// benchmarking strategies. Plain C#: the search benchmark links this file too.
/// </summary>
public sealed record SyntheticObjective(string Name, SearchSpace Space, Func<Assignment, double> Evaluate, double Minimum)
{
    private static readonly double[] Shift = [1.3, -2.1, 0.7, 2.9];

    /// <summary>A 4-dimensional sphere whose centre is off the origin, where the code's values sit.</summary>
    public static SyntheticObjective ShiftedSphere { get; } = new(
        "shifted sphere (4 reals)",
        new SearchSpace([.. Enumerable.Range(0, 4).Select(i => new Parameter($"X{i}", "double", new RealRange(-5, 5), 0.0))]),
        a => Enumerable.Range(0, 4).Sum(i => Math.Pow((double)a[$"X{i}"] - Shift[i], 2)),
        0);

    /// <summary>Branin-Hoo on [-5, 10] x [0, 15]: three global minima of 0.397887.</summary>
    public static SyntheticObjective Branin { get; } = new(
        "Branin",
        new SearchSpace([new Parameter("X1", "double", new RealRange(-5, 10), 0.0), new Parameter("X2", "double", new RealRange(0, 15), 0.0)]),
        a =>
        {
            double x1 = (double)a["X1"], x2 = (double)a["X2"];
            const double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
            return Math.Pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.Cos(x1) + 10;
        },
        0.397887);

    private static readonly Dictionary<string, double> ActivationPenalty = new() { ["relu"] = 1.0, ["tanh"] = 0.5, ["gelu"] = 0, ["sigmoid"] = 2.0 };

    /// <summary>
    /// A model-like space: a log-range learning rate (best 2e-4), an integer layer count (best 6)
    /// and a categorical activation (best gelu).
    /// </summary>
    public static SyntheticObjective Mixed { get; } = new(
        "mixed (log real, int, choice)",
        new SearchSpace([
            new Parameter("LearningRate", "double", new RealRange(1e-5, 1e-1, Log: true), 1e-3),
            new Parameter("Layers", "int", new IntRange(1, 8), 2L),
            new Parameter("Activation", "string", new Choice(["relu", "tanh", "gelu", "sigmoid"]), "relu"),
        ]),
        a => Math.Pow(Math.Log10((double)a["LearningRate"]) - Math.Log10(2e-4), 2)
             + 0.3 * Math.Pow((long)a["Layers"] - 6, 2)
             + ActivationPenalty[(string)a["Activation"]],
        0);

    public static IReadOnlyList<SyntheticObjective> All { get; } = [ShiftedSphere, Branin, Mixed];

    /// <summary>Runs a minimising study of <paramref name="trials"/> trials and returns every trial.</summary>
    public IReadOnlyList<SearchTrial> Run(IStrategy strategy, int trials, int seed)
    {
        var history = new List<SearchTrial>();
        for (var number = 0; number < trials; number++)
        {
            if (strategy.Propose(Space, history, StudyHistory.RandomFor(seed, number)) is not { } assignment) break;
            history.Add(SearchTrial.Completed(number, assignment, Evaluate(assignment), Direction.Minimize));
        }
        return history;
    }

    /// <summary>The best value a study of <paramref name="trials"/> trials found.</summary>
    public double BestAfter(IStrategy strategy, int trials, int seed) => Run(strategy, trials, seed).Min(t => t.Value!.Value);

    /// <summary>Median over seeds of the best value found.</summary>
    public double MedianBest(IStrategy strategy, int trials, IEnumerable<int> seeds)
    {
        var bests = seeds.Select(s => BestAfter(strategy, trials, s)).Order().ToArray();
        return bests.Length % 2 == 1 ? bests[bests.Length / 2] : (bests[bests.Length / 2 - 1] + bests[bests.Length / 2]) / 2;
    }
}

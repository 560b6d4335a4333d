using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Autotune.Search;
using Autotune.Tests.Search;

// Trials to a target on synthetic objectives (minimising), Autotune's strategies beside Optuna's
// samplers in the same run: Optuna (Debian's python3-optuna) proposes over a pipe, this process
// scores, so both sides meet the same code. Usage:
//   dotnet run -c Release --project bench/search -- [budget=200] [seeds=30] [--only NAME] [--first-seed 1] [--no-optuna] [--variants] [--warm]
//   (with --variants, VARIANTS=TEXT keeps the variants whose names contain TEXT)
var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal) && !IsValueOf(a)).ToArray();
var budget = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 200;
var seedCount = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 30;
var only = ValueOf("--only");
var useOptuna = !args.Contains("--no-optuna");
var firstSeed = ValueOf("--first-seed") is { } f ? int.Parse(f, CultureInfo.InvariantCulture) : 1;
var seeds = Enumerable.Range(firstSeed, seedCount).ToArray();

(string Name, Func<IStrategy> Create)[] ours = new (string Name, Func<IStrategy> Create)[]
{
    ("grow", () => new GrowStrategy()),
    ("random", () => new RandomStrategy()),
    ("default (" + Strategies.Default + ")", () => Strategies.Create(Strategies.Default, budget)),
};
// --variants: TPE settings side by side instead of the strategies (how the defaults were chosen).
// VARIANTS="re-climb" keeps the variants whose names contain it (a run of all of them takes long on two cores).
if (args.Contains("--variants"))
    ours = [("default (" + Strategies.Default + ")", () => Strategies.Create(Strategies.Default, budget)),
        .. TpeVariants.All(budget).Where(v => Environment.GetEnvironmentVariable("VARIANTS") is not { Length: > 0 } f || v.Name.Contains(f, StringComparison.Ordinal))];
string[] peers = useOptuna ? ["tpe", "tpe-multivariate", "random"] : [];

// --warm: a study started over after its space gained a parameter, cold against warm (issue 22).
if (args.Contains("--warm"))
{
    WarmStart.Run(SyntheticObjective.All.Where(o => only is null || o.Name.Contains(only, StringComparison.OrdinalIgnoreCase)), budget, seeds);
    return;
}

Console.WriteLine($"Budget {budget} trials, seeds {seeds[0]}..{seeds[^1]}: median trials to the target (lower is better), seeds that missed it in brackets; a median past the budget is '>{budget}'.");
var header = ours.Select(o => o.Name).Concat(peers.Select(p => "optuna " + p)).ToList();
Console.WriteLine($"| objective | target | {string.Join(" | ", header)} | default / optuna tpe |");
Console.WriteLine($"|---|---|{string.Concat(header.Select(_ => "---|"))}---|");

using var optuna = useOptuna ? OptunaPeer.Start(Path.Combine(AppContext.BaseDirectory, "optuna_peer.py")) : null;
foreach (var objective in SyntheticObjective.All.Where(o => only is null || o.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
{
    var cells = new List<string>();
    double? ourDefault = null, optunaTpe = null;
    foreach (var (name, create) in ours)
    {
        var clock = Stopwatch.StartNew();
        var counts = seeds.Select(s => objective.TrialsToTarget(create(), budget, s)).ToArray();
        cells.Add(Cell(counts));
        if (name.StartsWith("default", StringComparison.Ordinal)) ourDefault = Median(counts);
        Console.Error.WriteLine($"  {objective.Name}, {name}: {clock.Elapsed.TotalSeconds:F1} s");
    }
    foreach (var sampler in peers)
    {
        var clock = Stopwatch.StartNew();
        var counts = seeds.Select(s => optuna!.TrialsToTarget(objective, sampler, budget, s)).ToArray();
        cells.Add(Cell(counts));
        if (sampler == "tpe") optunaTpe = Median(counts);
        Console.Error.WriteLine($"  {objective.Name}, optuna {sampler}: {clock.Elapsed.TotalSeconds:F1} s");
    }
    var ratio = ourDefault is { } d && optunaTpe is { } o && double.IsFinite(d) && double.IsFinite(o) ? (d / o).ToString("F2", CultureInfo.InvariantCulture) : "-";
    Console.WriteLine(FormattableString.Invariant($"| {objective.Name} | {objective.Target:G4} | {string.Join(" | ", cells)} | {ratio} |"));
}

string Cell(int?[] counts)
{
    var median = Median(counts);
    var missed = counts.Count(c => c is null);
    var text = double.IsFinite(median) ? median.ToString("0.#", CultureInfo.InvariantCulture) : $">{budget}";
    return missed > 0 ? $"{text} ({missed})" : text;
}

// A missed seed counts as more than any budget, so a median of misses is a miss.
static double Median(int?[] counts)
{
    var ordered = counts.Select(c => c is { } v ? (double)v : double.PositiveInfinity).Order().ToArray();
    var (a, b) = (ordered[(ordered.Length - 1) / 2], ordered[ordered.Length / 2]);
    return double.IsInfinity(a) || double.IsInfinity(b) ? Math.Max(a, b) : (a + b) / 2;
}

string? ValueOf(string flag) => Array.IndexOf(args, flag) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
bool IsValueOf(string arg) => Array.IndexOf(args, arg) is var i and > 0 && args[i - 1] is "--only" or "--first-seed";

/// <summary>One python3 process running bench/search/optuna_peer.py, reused for every study.</summary>
sealed class OptunaPeer : IDisposable
{
    private readonly Process process;

    private OptunaPeer(Process process) => this.process = process;

    public static OptunaPeer Start(string script)
    {
        var info = new ProcessStartInfo("/usr/bin/python3", [script])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        return new OptunaPeer(Process.Start(info) ?? throw new InvalidOperationException("could not start /usr/bin/python3"));
    }

    public int? TrialsToTarget(SyntheticObjective objective, string sampler, int budget, int seed)
    {
        var space = objective.Space.Parameters.Select(Describe).ToArray();
        var baseline = new JsonObject();
        foreach (var p in objective.Space.Parameters) baseline[p.Name] = Encode(p, p.Current);
        var spec = new JsonObject
        {
            ["sampler"] = sampler, ["space"] = new JsonArray(space), ["baseline"] = baseline, ["seed"] = seed, ["budget"] = budget,
        };
        process.StandardInput.WriteLine(spec.ToJsonString());
        process.StandardInput.Flush();
        int? reached = null;
        for (var n = 1; ; n++)
        {
            var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("optuna_peer.py ended early: is python3-optuna installed?");
            var message = JsonNode.Parse(line)!.AsObject();
            if (message.ContainsKey("done")) return reached;
            var values = objective.Space.Parameters.ToDictionary(p => p.Name, p => Decode(p, message["params"]![p.Name]!));
            var value = objective.Evaluate(new Assignment(values));
            var stop = value <= objective.Target;
            if (stop) reached = n;
            process.StandardInput.WriteLine(new JsonObject { ["value"] = value, ["stop"] = stop }.ToJsonString());
            process.StandardInput.Flush();
        }
    }

    private static JsonNode Describe(Parameter p) => p.Domain switch
    {
        IntRange i => new JsonObject { ["name"] = p.Name, ["kind"] = "int", ["low"] = i.Min, ["high"] = i.Max, ["step"] = i.Step, ["log"] = i.Log },
        RealRange r => new JsonObject { ["name"] = p.Name, ["kind"] = "real", ["low"] = r.Min, ["high"] = r.Max, ["log"] = r.Log },
        Choice c => new JsonObject { ["name"] = p.Name, ["kind"] = "choice", ["choices"] = new JsonArray([.. c.Values.Select(v => (JsonNode)SearchValue.Format(v))]) },
        _ => throw new NotSupportedException(p.Domain.ToString()),
    };

    private static JsonNode Encode(Parameter p, object value) => p.Domain switch
    {
        Choice c => c.IndexOf(value),
        IntRange => (long)value,
        _ => (double)value,
    };

    private static object Decode(Parameter p, JsonNode node) => p.Domain switch
    {
        Choice c => c.Values[node.GetValue<int>()],
        IntRange => node.GetValue<long>(),
        _ => node.GetValue<double>(),
    };

    public void Dispose()
    {
        try { process.StandardInput.WriteLine("quit"); process.StandardInput.Close(); process.WaitForExit(5000); }
        catch (IOException) { }
        if (!process.HasExited) process.Kill();
        process.Dispose();
    }
}

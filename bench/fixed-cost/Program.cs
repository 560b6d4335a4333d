using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Autotune;
using Autotune.Detect;
using Autotune.Rewrite;
using Autotune.Search;
using Autotune.Train;
using Autotune.Train.Worker;

// Usage: dotnet run -c Release --project bench/fixed-cost -- <repo-root> [trials per path] [MNIST_TRAIN_LIMIT]
// Runs short trials of samples/mnist-cnn (1 epoch on a subset, CPU) alternately through three paths,
// each in its own workspace: the Roslyn build with the trial worker that `autotune run` uses (one
// process for all trials), the Roslyn build with a new process per trial, and `dotnet build` with a
// new process per trial. It splits every trial's wall time minus
// the program's own training and evaluation into rewrite, compile, process start (launch to the
// program's "main" phase line; in the worker, the request and the assembly's load), framework init ("main" to "framework"), data loading ("framework" to
// "data") and the rest (model set-up, checkpoint, exit). The first trial of each path builds its
// workspace from scratch (and sets the Roslyn path up): it is shown apart and not counted.
var repo = Path.GetFullPath(args.Length > 0 ? args[0] : ".");
var trials = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
var trainLimit = args.Length > 2 ? args[2] : "2000";
var sample = ModelProject.Open(Path.Combine(repo, "samples", "mnist-cnn"));
var block = ModelDetector.Detect(sample.Folder).Block ?? throw new InvalidOperationException("no block in the sample");
var template = BlockTemplate.ForModel(sample.Folder);
using var worker = new WorkerRunner();
var paths = new (string Name, ITrialBuilder Builder, IRunner Runner)[]
{
    ("roslyn + worker", new RoslynTrialBuilder(), worker),
    ("roslyn", new RoslynTrialBuilder(), new ProcessRunner()),
    ("dotnet build", new ProjectBuilder(), new ProcessRunner()),
};
var state = Path.Combine(sample.StateFolder, "bench-fixed-cost");
var workspaces = paths.Select(p => TrialWorkspace.Prepare(sample, Path.Combine(state, p.Name.Replace(' ', '-'), "workspace"))).ToArray();
var results = paths.Select(_ => new List<Dictionary<string, double>>()).ToArray();
var random = new Random(7);

for (var n = 0; n <= trials; n++)
{
    // Both paths train the same values; only the learning rate and dropout change, so training costs stay alike.
    var values = new Assignment(new Dictionary<string, object>
    {
        ["LearningRate"] = Math.Exp(Math.Log(5e-4) + random.NextDouble() * Math.Log(4)),
        ["Dropout"] = Math.Round(random.NextDouble() * 0.5, 3),
    });
    for (var p = 0; p < paths.Length; p++)
    {
        var r = await TrialAsync(paths[p].Builder, paths[p].Runner, workspaces[p], Path.Combine(state, paths[p].Name.Replace(' ', '-'), $"trial-{n}"), values);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{paths[p].Name,-15} trial {n}: wall {r["wall"]:F2} s, training+evaluation {r["train"]:F2} s, fixed {r["fixed"]:F2} s " +
            $"(rewrite {r["rewrite"]:F3}, compile {r["compile"]:F3}, start {r["start"]:F3}, framework {r["framework"]:F3}, data {r["data"]:F3}, rest {r["rest"]:F3}); accuracy {r["accuracy"]:F4}"));
        if (n > 0) results[p].Add(r);
    }
}

// The same values on every path must give the same model: the worker changes where a program runs, not what it computes.
for (var i = 0; i < trials; i++)
    if (results.Select(r => r[i]["accuracy"]).Distinct().Count() != 1)
        Console.Error.WriteLine($"warning: trial {i + 1} gave different accuracies: {string.Join(", ", results.Select(r => r[i]["accuracy"]))}");

string[] columns = ["fixed", "rewrite", "compile", "start", "framework", "data", "rest", "train", "wall"];
Console.WriteLine($"| path | statistic over {trials} trials | fixed cost | rewrite | compile | process start | framework init | data loading | rest (model set-up, checkpoint, exit) | training + evaluation | wall |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
for (var p = 0; p < paths.Length; p++)
{
    // The worst row is the trial with the largest fixed cost, so its phases add up.
    var worst = results[p].MaxBy(r => r["fixed"])!;
    Console.WriteLine($"| {paths[p].Name} | median | {string.Join(" | ", columns.Select(c => Seconds(Median(results[p].Select(r => r[c])))))} |");
    Console.WriteLine($"| {paths[p].Name} | worst | {string.Join(" | ", columns.Select(c => Seconds(worst[c])))} |");
}
return;

async Task<Dictionary<string, double>> TrialAsync(ITrialBuilder builder, IRunner runner, TrialWorkspace workspace, string folder, Assignment values)
{
    if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    Directory.CreateDirectory(folder);
    var wall = Stopwatch.StartNew();
    var copy = block with { FullPath = workspace.MapToCopy(block.FullPath) };
    File.Copy(block.FullPath, copy.FullPath, overwrite: true);
    BlockRewriter.ApplyToFile(copy, values, template);
    var rewrite = wall.Elapsed.TotalSeconds;
    var built = await builder.BuildAsync(workspace.Copy, Path.Combine(Path.GetDirectoryName(workspace.Copy.Folder)!, "build"), Path.Combine(folder, "build.log"), CancellationToken.None);
    var compile = wall.Elapsed.TotalSeconds - rewrite;
    var phases = new Dictionary<string, double>();
    double train = 0, accuracy = double.NaN;
    var env = new Dictionary<string, string>
    {
        [TrialEnvironment.Folder] = folder, [TrialEnvironment.Number] = "1", [TrialEnvironment.Seed] = "42",
        [TrialEnvironment.MaxEpochs] = "1", [TrialEnvironment.Device] = "cpu", ["MNIST_TRAIN_LIMIT"] = trainLimit,
    };
    var launched = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
    var outcome = await runner.RunAsync(new TrialLaunch(built, folder, env, TimeSpan.FromMinutes(5)), line =>
    {
        if (line.StartsWith(TrialEnvironment.LinePrefix + "phase ", StringComparison.Ordinal))
        {
            using var doc = JsonDocument.Parse(line[(TrialEnvironment.LinePrefix.Length + "phase ".Length)..]);
            phases[doc.RootElement.GetProperty("name").GetString()!] = doc.RootElement.GetProperty("unixMs").GetDouble();
        }
        else if (line.StartsWith(TrialEnvironment.LinePrefix + "epoch ", StringComparison.Ordinal)
                 && MetricsFile.Parse(line[(TrialEnvironment.LinePrefix.Length + "epoch ".Length)..]) is { } epoch)
        {
            train += epoch.Seconds ?? 0;
            accuracy = epoch.Metrics["accuracy"];
        }
    }, CancellationToken.None);
    var total = wall.Elapsed.TotalSeconds;
    if (!outcome.Succeeded || !phases.ContainsKey("data"))
        throw new InvalidOperationException($"trial in {folder} failed (exit {outcome.ExitCode}) or reported no phases");
    var start = (phases["main"] - launched) / 1000;
    var framework = (phases["framework"] - phases["main"]) / 1000;
    var data = (phases["data"] - phases["framework"]) / 1000;
    var fixedCost = total - train;
    return new()
    {
        ["wall"] = total, ["train"] = train, ["fixed"] = fixedCost, ["rewrite"] = rewrite, ["compile"] = compile,
        ["start"] = start, ["framework"] = framework, ["data"] = data,
        ["rest"] = fixedCost - rewrite - compile - start - framework - data, ["accuracy"] = accuracy,
    };
}

static double Median(IEnumerable<double> xs) { var s = xs.Order().ToList(); return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2; }
static string Seconds(double s) => s.ToString("F2", CultureInfo.InvariantCulture) + " s";

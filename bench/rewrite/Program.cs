using System.Diagnostics;
using System.Globalization;
using Autotune.Detect;
using Autotune.Rewrite;
using Autotune.Search;

// Usage: dotnet run -c Release --project bench/rewrite -- <repo-root>
// Warm time of BlockRewriter.Render on samples/mnist-cnn's block: the cost a trial pays to get its source.
var repo = Path.GetFullPath(args.Length > 0 ? args[0] : ".");
var block = ModelDetector.Detect(Path.Combine(repo, "samples", "mnist-cnn")).Block ?? throw new InvalidOperationException("no block in the sample");
var source = File.ReadAllText(block.FullPath);
var random = new Random(1);
Assignment Next() => new(new Dictionary<string, object>
{
    ["Filters"] = new[] { 8L, 16L, 32L, 64L }[random.Next(4)],
    ["LearningRate"] = Math.Exp(Math.Log(1e-4) + random.NextDouble() * (Math.Log(1e-2) - Math.Log(1e-4))),
    ["Dropout"] = random.NextDouble() * 0.5,
    ["Pooling"] = random.Next(2) == 0 ? "max" : "avg",
});
var first = Stopwatch.StartNew();
BlockRewriter.Render(source, block, Next());
var cold = first.Elapsed.TotalMilliseconds;
for (var i = 0; i < 50; i++) BlockRewriter.Render(source, block, Next());
var times = Enumerable.Range(0, 200).Select(_ => { var a = Next(); var c = Stopwatch.StartNew(); BlockRewriter.Render(source, block, a); return c.Elapsed.TotalMilliseconds; }).Order().ToList();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| rewrite of the sample's block (Render: template, splice, re-parse, verify, read back) | first call {cold:F0} ms | warm median {times[times.Count / 2]:F2} ms, p95 {times[(int)(times.Count * 0.95)]:F2} ms, max {times[^1]:F2} ms |"));

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Autotune.Detect;

// Usage: dotnet run -c Release --project bench/detect -- <autotune.dll> <repo-root>
// Prints cold wall times (median of several new processes) and warm per-file times, as Markdown rows.
var tool = Path.GetFullPath(args.Length > 0 ? args[0] : "tool/Autotune/bin/Release/net10.0/autotune.dll");
var repo = Path.GetFullPath(args.Length > 1 ? args[1] : ".");
var sample = Path.Combine(repo, "samples", "mnist-cnn");
var large = Path.Combine(Path.GetTempPath(), "autotune-bench-large");
var (files, lines) = LargeProject.Generate(large, files: 200, linesPerFile: 250);
Console.WriteLine($"generated {files} files, {lines} lines in {large}");

foreach (var (name, dir) in new[] { ("sample (samples/mnist-cnn)", sample), ($"generated ({files} files, {lines} lines)", large) })
{
    Cold(dir); // the first run fills the OS file cache; it is not counted
    var cold = Enumerable.Range(0, 7).Select(_ => Cold(dir)).Order().ToList();
    var fileCount = ModelDetector.Detect(dir).FileCount;
    for (var i = 0; i < 3; i++) ModelDetector.Detect(dir); // warm up the JIT
    var warm = Enumerable.Range(0, 10).Select(_ => { var c = Stopwatch.StartNew(); ModelDetector.Detect(dir); return c.Elapsed.TotalMilliseconds; }).Order().ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {cold[cold.Count / 2]:F0} ms (min {cold[0]:F0}, max {cold[^1]:F0}) | {warm[warm.Count / 2]:F1} ms | {warm[warm.Count / 2] / fileCount:F2} ms |"));
}

double Cold(string dir)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in new[] { tool, "detect", dir, "--json" }) start.ArgumentList.Add(a);
    var clock = Stopwatch.StartNew();
    using var p = Process.Start(start)!;
    p.StandardOutput.ReadToEnd();
    p.StandardError.ReadToEnd();
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"autotune detect {dir} exited {p.ExitCode}");
    return clock.Elapsed.TotalMilliseconds;
}

/// <summary>A TorchSharp project of many files that look like model code: modules, loops, helpers, one block.</summary>
static class LargeProject
{
    public static (int Files, int Lines) Generate(string dir, int files, int linesPerFile)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        var total = 0;
        File.WriteAllText(Path.Combine(dir, "Hyper.cs"),
            "using Autotune;\n\nnamespace Large;\n\n[Hyperparameters]\npublic static class Hyper\n{\n" +
            "    [Range(1, 8)] public const int Layers = 2;\n    [Choice(16, 32, 64)] public const int Width = 32;\n" +
            "    [LogRange(1e-4, 1e-2)] public const double LearningRate = 1e-3;\n}\n");
        File.WriteAllText(Path.Combine(dir, "Program.cs"), "using Large;\n\nvar net = new Module0(Hyper.Layers, Hyper.Width);\nSystem.Console.WriteLine(net);\n");
        total += 15;
        for (var f = 0; f < files - 2; f++)
        {
            var s = new StringBuilder();
            s.Append("using TorchSharp;\nusing static TorchSharp.torch;\nusing static TorchSharp.torch.nn;\n\nnamespace Large;\n\n");
            s.Append($"public sealed class Module{f} : Module<Tensor, Tensor>\n{{\n    private readonly Module<Tensor, Tensor> body;\n\n");
            s.Append($"    public Module{f}(int layers, int width) : base(\"m{f}\")\n    {{\n        var list = new List<(string, Module<Tensor, Tensor>)>();\n");
            s.Append("        for (var i = 0; i < layers; i++)\n        {\n            list.Add(($\"conv{i}\", Conv2d(width, width, 3, padding: 1)));\n            list.Add(($\"relu{i}\", ReLU()));\n        }\n");
            s.Append("        body = Sequential(list);\n        RegisterComponents();\n    }\n\n    public override Tensor forward(Tensor x) => body.forward(x);\n\n");
            var lineCount = s.ToString().Count(c => c == '\n');
            var m = 0;
            while (lineCount < linesPerFile - 12)
            {
                s.Append($"    /// <summary>Helper {m} of module {f}.</summary>\n    public static double Helper{m}(double[] values, int scale)\n    {{\n");
                s.Append("        var sum = 0.0;\n        foreach (var v in values)\n        {\n            if (v > scale) sum += Math.Sqrt(v) * Hyper.LearningRate;\n            else sum -= v / (scale + 1);\n        }\n");
                s.Append($"        return sum * {m + 1} + Hyper.Width;\n    }}\n\n");
                lineCount += 13;
                m++;
            }
            s.Append("    protected override void Dispose(bool disposing)\n    {\n        if (disposing) body.Dispose();\n        base.Dispose(disposing);\n    }\n}\n");
            lineCount += 6;
            while (lineCount < linesPerFile) { s.Append("// padding so every file has the same length\n"); lineCount++; }
            File.WriteAllText(Path.Combine(dir, $"Module{f}.cs"), s.ToString());
            total += lineCount;
        }
        return (files, total);
    }
}

using System.CommandLine;
using Autotune.Detect;
using Autotune.Search;

namespace Autotune.Cli;

/// <summary>`autotune detect &lt;model-dir&gt; [--json]`: say what the model is, what it needs and what can be tuned.</summary>
public static class DetectCommand
{
    public sealed record Options(string ModelDir, bool Json);

    public static Command Create()
    {
        var modelDir = new Argument<string>("model-dir") { Description = "Folder of the model project" };
        var json = new Option<bool>("--json") { Description = "Print the profile as JSON (schema autotune.detect/1, see docs/detect-schema.md)" };
        var command = new Command("detect", "Read the model's C# code (without building it) and report its framework, architecture, device, entry point, hyperparameter block and runtime image")
        {
            modelDir, json,
        };
        command.SetAction(parse => Run(new Options(parse.GetValue(modelDir)!, parse.GetValue(json)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(Options o, TextWriter output, TextWriter error)
    {
        var profile = ModelDetector.Detect(o.ModelDir);
        if (o.Json) output.WriteLine(ProfileJson.Write(profile));
        else if (!profile.HasErrors) output.Write(Summary(profile));
        foreach (var w in profile.Warnings) error.WriteLine($"autotune: warning: {CommandLine.OneLine(w.ToString())}");
        foreach (var e in profile.Errors) error.WriteLine($"autotune: {CommandLine.OneLine(e.ToString())}");
        return profile.HasErrors ? ExitCodes.InvalidInput : ExitCodes.Success;
    }

    public static string Summary(ModelProfile p)
    {
        var s = new StringWriter();
        static string First(IReadOnlyList<Evidence> e) => e.Count == 0 ? "" : $"  ({e[0]})";
        s.WriteLine($"model        {p.ModelDir}: {p.FileCount} file(s), {p.LineCount} line(s)");
        var others = p.Framework.All.Skip(1).Select(FrameworkNames.Display).ToList();
        s.WriteLine($"framework    {FrameworkNames.Display(p.Framework.Primary)}{(others.Count > 0 ? " (also " + string.Join(", ", others) + ")" : "")}{First(p.Framework.Evidence)}");
        var layers = string.Join(", ", p.Architecture.Layers.Select(kv => $"{kv.Key} x{kv.Value}"));
        s.WriteLine($"architecture {p.Architecture.Kind}{(layers.Length > 0 ? " [" + layers + "]" : "")}{First(p.Architecture.Evidence)}");
        s.WriteLine($"device       {(p.Device.AsksForCuda ? "CUDA" + (p.Device.FallsBackToCpu ? ", falls back to CPU" : ", no CPU fallback") : "CPU")}{First(p.Device.Evidence)}");
        s.WriteLine($"entry point  {(p.EntryPoint is { } e ? $"{e.File}:{e.Line} ({e.Kind})" : "none")}");
        s.WriteLine($"image        {p.Image.Name}  (from {p.Image.Evidence.File})");
        if (p.Block is { } b)
        {
            s.WriteLine($"block        {b.ClassName} at {b.File}:{b.Line}, {b.Parameters.Count} parameter(s)");
            var width = Math.Max(16, b.Parameters.Select(q => q.Name.Length).DefaultIfEmpty(0).Max()); // long names keep the columns aligned
            foreach (var q in b.Parameters)
                s.WriteLine($"  {q.Name.PadRight(width)} {q.Type,-8} = {SearchValue.Format(q.Current),-10} {Describe(q.Domain),-28}{(q.Parameter.When is { } when ? $"  when {when}" : "")}{(q.IsUsed ? "" : "  UNUSED")}".TrimEnd());
        }
        else s.WriteLine("block        none");
        return s.ToString();
    }

    public static string Describe(Domain d) => d switch
    {
        IntRange r => $"{(r.Log ? "log " : "")}int {r.Min}..{r.Max}{(r.Step > 1 ? $" step {r.Step}" : "")}",
        RealRange r => $"{(r.Log ? "log " : "")}real {Shown(r.Min)}..{Shown(r.Max)}",
        Choice c => "one of " + string.Join(", ", c.Values.Select(v => v is string t ? $"\"{t}\"" : v is double x ? Shown(x) : SearchValue.Format(v))),
        _ => d.ToString(),
    };

    /// <summary>A float parameter's bounds are floats widened (1e-4f reads 9.99999974737875E-05): shown as the float they are.</summary>
    private static string Shown(double v) =>
        double.IsFinite(v) && (double)(float)v == v ? ((float)v).ToString("R", System.Globalization.CultureInfo.InvariantCulture) : SearchValue.Format(v);
}

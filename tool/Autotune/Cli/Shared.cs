using System.CommandLine;

namespace Autotune.Cli;

/// <summary>Options more than one command takes, defined once so they read the same everywhere.</summary>
public static class Shared
{
    public static readonly string[] DeviceForms = ["auto", "cpu", "cuda", "cuda:N"];

    public static Option<string> Device()
    {
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N (auto takes CUDA when available)", DefaultValueFactory = _ => "auto" };
        device.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<string>() ?? "";
            if (!IsDevice(v)) r.AddError($"--device '{v}' is not one of auto, cpu, cuda, cuda:N");
        });
        return device;
    }

    /// <summary>`--constraint "params<=200000"`, repeatable: bounds a trial must meet besides the target (run, ask and enqueue, which must match the study's).</summary>
    public static Option<string[]> Constraint() => new("--constraint")
    {
        Description = "A bound every acceptable trial must meet at its last epoch, such as \"params<=200000\"; repeat for several (or \"constraints\" in autotune.json)",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>`--minimize params`, repeatable or comma-separated: secondary objectives in the order given (run, ask and enqueue, which must match the study's).</summary>
    public static Option<string[]> Minimize() => new("--minimize")
    {
        Description = "A metric the program reports to keep low besides the target, such as params or latency_ms: of the trials that reach the target, the best is the lowest by it; repeat or separate with commas for several, first decides first (or \"minimize\" in autotune.json)",
        AllowMultipleArgumentsPerToken = false,
    };

    public static bool IsDevice(string v) =>
        v is "auto" or "cpu" or "cuda" || (v.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(v[5..], out var n) && n >= 0);
}

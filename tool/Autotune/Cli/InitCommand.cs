using System.CommandLine;
using Autotune.Rewrite;
using Autotune.Rewrite.Init;
using Autotune.Search;

namespace Autotune.Cli;

/// <summary>
/// `autotune init &lt;model-dir&gt; [--yes] [--dry-run]`: for model code without a block, lift the
/// literals worth tuning into a new [Hyperparameters] block and make the code use it. Shows the
/// search space and the diff, and writes only when told to.
/// </summary>
public static class InitCommand
{
    /// <param name="Interactive">stdin is a terminal a person can answer on.</param>
    public sealed record Options(string ModelDir, bool Yes, bool DryRun, bool Interactive);

    public static Command Create()
    {
        var modelDir = new Argument<string>("model-dir") { Description = "Folder of the model project" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Write the changes without asking" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the search space and the diff, and write nothing" };
        var command = new Command("init", "Lift the model's literals (layer widths, kernel sizes, learning rate, batch size, epochs, dropout, tree counts) into a new [Hyperparameters] block")
        {
            modelDir, yes, dryRun,
        };
        command.SetAction(parse => Run(new Options(parse.GetValue(modelDir)!, parse.GetValue(yes), parse.GetValue(dryRun), !Console.IsInputRedirected),
            parse.InvocationConfiguration.Output, Console.In));
        return command;
    }

    public static int Run(Options o, TextWriter output, TextReader input)
    {
        var plan = InitLifter.Lift(o.ModelDir);
        if (plan.IsEmpty)
            throw AutotuneException.Invalid($"{o.ModelDir}: found no literal init can lift safely (layer widths, kernels, learning rate, batch size, epochs, dropout, tree counts): declare a [Hyperparameters] block by hand (docs/rewrite.md)");

        output.Write(Describe(plan));
        output.Write(UnifiedDiff.Of(plan.ModelDir, InitLifter.Preview(plan, plan.ModelDir)));
        if (o.DryRun) return ExitCodes.Success;
        if (!o.Yes)
        {
            if (!o.Interactive)
                throw AutotuneException.Invalid("init: nothing written: stdin is not a terminal, so nobody can confirm; pass --yes to write these changes");
            output.Write("Write these changes? [y/N] ");
            output.Flush();
            var answer = input.ReadLine()?.Trim().ToLowerInvariant();
            if (answer is not ("y" or "yes"))
            {
                output.WriteLine("nothing written");
                return ExitCodes.Success;
            }
        }
        var written = InitLifter.Apply(plan, plan.ModelDir);
        output.WriteLine($"wrote {plan.BlockFile} ({plan.Parameters.Count} parameter(s)) and {written.Count - 1} edited file(s); `autotune detect {o.ModelDir}` now reads the block");
        return ExitCodes.Success;
    }

    /// <summary>The proposed search space (<paramref name="space"/> where autotune.json changed it), one parameter a line, with where its value came from.</summary>
    public static string Describe(InitPlan plan, SearchSpace? space = null)
    {
        var s = new StringWriter { NewLine = "\n" };
        s.WriteLine($"proposed search space ({plan.ClassName} in {plan.BlockFile}, {(plan.UsesSdk ? "attributes from Autotune.Sdk" : "attributes declared in the file: no package needed")}):");
        foreach (var p in plan.Parameters)
        {
            var first = p.Uses[0];
            var more = p.Uses.Count > 1 ? $" and {p.Uses.Count - 1} more" : "";
            s.WriteLine($"  {p.Name,-20} {p.Parameter.Type,-7} = {p.Literal,-8} {DetectCommand.Describe(space?[p.Name].Domain ?? p.Parameter.Domain),-34} from {first.File}:{first.Line}{more}".TrimEnd());
        }
        return s.ToString();
    }
}

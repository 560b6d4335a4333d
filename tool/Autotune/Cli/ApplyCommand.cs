using System.CommandLine;
using Autotune.Detect;
using Autotune.Rewrite;

namespace Autotune.Cli;

/// <summary>`autotune apply &lt;model-dir&gt; --values k=v,... [--dry-run]`: write values into the model's hyperparameter block.</summary>
public static class ApplyCommand
{
    public sealed record Options(string ModelDir, string Values, bool DryRun);

    public static Command Create()
    {
        var modelDir = new Argument<string>("model-dir") { Description = "Folder of the model project" };
        var values = new Option<string>("--values")
        {
            Description = "name=value pairs separated by commas, e.g. Filters=32,LearningRate=0.0005,Pooling=avg (quote a value to hold commas). " +
                          "Coming with the study store: --trial N and --best.",
            Required = true,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the change as a unified diff and write nothing" };
        var command = new Command("apply", "Write hyperparameter values into the model's [Hyperparameters] block, changing nothing else in the file")
        {
            modelDir, values, dryRun,
        };
        command.SetAction(parse => Run(new Options(parse.GetValue(modelDir)!, parse.GetValue(values)!, parse.GetValue(dryRun)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(Options o, TextWriter output, TextWriter error)
    {
        var profile = ModelDetector.Detect(o.ModelDir);
        if (profile.HasErrors)
        {
            foreach (var e in profile.Errors) error.WriteLine($"autotune: {e}");
            return ExitCodes.InvalidInput;
        }
        var block = profile.Block ?? throw AutotuneException.Invalid($"{o.ModelDir} has no [Hyperparameters] class: declare one to hold the values");
        var assignment = AssignmentText.Parse(o.Values, block);
        var template = BlockTemplate.ForModel(profile.ModelDir);
        var rewrite = o.DryRun ? BlockRewriter.Plan(block, assignment, template) : BlockRewriter.ApplyToFile(block, assignment, template);
        if (o.DryRun) output.Write(UnifiedDiff.Of(block.File, rewrite.Before, rewrite.After));
        else output.WriteLine(rewrite.Changes ? $"{block.File}: wrote {assignment}" : $"{block.File}: already has these values; nothing written");
        return ExitCodes.Success;
    }
}

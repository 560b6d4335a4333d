using Autotune.Cli;
using Autotune.Detect;
using Autotune.Rewrite;
using Autotune.Rewrite.Init;
using Autotune.Search;
using Autotune.Train;

namespace Autotune.Tune;

/// <summary>
/// What a study tunes, and how a trial's values reach the code. A model with a [Hyperparameters]
/// block is tuned through that block. A model without one (code never written for Autotune) is
/// tuned through the block `init` lifts from its literals; that block exists only in trial
/// workspaces until `apply` writes it, with the chosen values, into the user's files.
/// `run`, `ask`, `train --values` and `apply` all resolve the model here, so they agree.
/// </summary>
public sealed class TunableModel
{
    private TunableModel(string modelDir, HyperparameterBlock? block, InitPlan? lifted)
    {
        ModelDir = modelDir;
        Block = block;
        Lifted = lifted;
    }

    public string ModelDir { get; }

    /// <summary>The model's own block; null when the block is lifted.</summary>
    public HyperparameterBlock? Block { get; }

    /// <summary>The block init lifts from the literals, for a model without one; null when the model has a block.</summary>
    public InitPlan? Lifted { get; }

    public SearchSpace Space => Block?.SearchSpace ?? Lifted!.SearchSpace;

    /// <summary>The class the values live in, for messages.</summary>
    public string ClassName => Block?.ClassName ?? Lifted!.ClassName;

    /// <summary>
    /// The model in <paramref name="modelDir"/>: its block, or with <paramref name="allowInit"/> the
    /// block lifted from its literals. Detect errors, a missing block with --no-init, and code with
    /// nothing to lift are exit 2 in one line.
    /// </summary>
    public static TunableModel Resolve(string modelDir, bool allowInit = true)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelDir));
        var profile = ModelDetector.Detect(root);
        if (profile.Errors.FirstOrDefault() is { } error)
            throw AutotuneException.Invalid($"{error.File}:{error.Line}:{error.Column}: {error.Message}");
        if (profile.Block is { } block) return new TunableModel(root, block, null);
        if (!allowInit)
            throw AutotuneException.Invalid($"{modelDir}: no [Hyperparameters] block, and --no-init keeps literals as they are: declare a block, or see what would be tuned with `autotune init {modelDir} --dry-run`");
        var plan = InitLifter.Lift(root, profile, modelDir);
        if (plan.IsEmpty)
            throw AutotuneException.Invalid($"{modelDir}: no [Hyperparameters] block, and no literal init can lift safely (layer widths, kernels, learning rate, batch size, epochs, dropout, tree counts): declare a block (docs/rewrite.md)");
        return new TunableModel(root, null, plan);
    }

    /// <summary>"k=v,..." from the command line, typed for this model's parameters.</summary>
    public Assignment Parse(string valuesText) => AssignmentText.Parse(valuesText, Space, ClassName);

    /// <summary>
    /// Writes <paramref name="values"/> into the workspace's copy, starting from the user's files
    /// each time: the workspace still holds the previous trial's edits.
    /// </summary>
    public void WriteInto(TrialWorkspace workspace, Assignment values)
    {
        if (Block is { } block)
        {
            var copy = block with { FullPath = workspace.MapToCopy(block.FullPath) };
            File.Copy(block.FullPath, copy.FullPath, overwrite: true);
            BlockRewriter.ApplyToFile(copy, values, BlockTemplate.ForModel(ModelDir));
            return;
        }
        var plan = Lifted!;
        foreach (var relative in plan.EditedFiles)
            File.Copy(Path.Combine(ModelDir, relative), Path.Combine(workspace.Copy.Folder, relative), overwrite: true);
        File.Delete(Path.Combine(workspace.Copy.Folder, plan.BlockFile));
        InitLifter.Apply(plan, workspace.Copy.Folder, values);
    }

    /// <summary>
    /// Writes <paramref name="values"/> into the user's files (a lifted block: the new block file
    /// and every use), or with <paramref name="dryRun"/> only says what would change.
    /// </summary>
    public IReadOnlyList<Rewrite.Rewrite> WriteIntoModel(Assignment values, bool dryRun)
    {
        if (Block is { } block)
        {
            var template = BlockTemplate.ForModel(ModelDir);
            return [dryRun ? BlockRewriter.Plan(block, values, template) : BlockRewriter.ApplyToFile(block, values, template)];
        }
        return dryRun ? InitLifter.Preview(Lifted!, ModelDir, values) : InitLifter.Apply(Lifted!, ModelDir, values);
    }

    /// <summary>For a lifted block: the lines `run` shows before its first trial, so nobody is surprised by what is tuned.</summary>
    public string DescribeLifted() =>
        Lifted is null ? "" : $"no [Hyperparameters] block: tuning literals lifted into a block that lives in the trial workspaces only; your files change only by `autotune apply {ModelDir} --best`.\n"
            + InitCommand.Describe(Lifted);
}

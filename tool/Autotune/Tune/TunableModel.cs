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
    private TunableModel(string modelDir, HyperparameterBlock? block, InitPlan? lifted, SearchSpace space, IReadOnlyList<WrittenFile> writtenFiles)
    {
        ModelDir = modelDir;
        WrittenFiles = writtenFiles;
        Block = block;
        Lifted = lifted;
        Space = space;
    }

    public string ModelDir { get; }

    /// <summary>The model's own block; null when the block is lifted.</summary>
    public HyperparameterBlock? Block { get; }

    /// <summary>The block init lifts from the literals, for a model without one; null when the model has a block.</summary>
    public InitPlan? Lifted { get; }

    /// <summary>What the study searches: the block's space, with autotune.json's "space" over it.</summary>
    public SearchSpace Space { get; }

    /// <summary>The .csv and .jsonl files the code writes: where a program without the SDK may log its epochs.</summary>
    public IReadOnlyList<WrittenFile> WrittenFiles { get; }

    /// <summary>The class the values live in, for messages.</summary>
    public string ClassName => Block?.ClassName ?? Lifted!.ClassName;

    /// <summary>
    /// The model in <paramref name="modelDir"/>: its block, or with <paramref name="allowInit"/> the
    /// block lifted from its literals, with autotune.json's "space" applied. Detect errors, a missing
    /// block with --no-init, code with nothing to lift and a bad override are exit 2 in one line.
    /// </summary>
    public static TunableModel Resolve(string modelDir, bool allowInit = true)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelDir));
        var profile = ModelDetector.Detect(root);
        if (profile.Errors.FirstOrDefault() is { } error)
            throw AutotuneException.Invalid(error.ToString()); // "file:line:column: message", without the zeros of a problem that has no place
        var settingsPath = SettingsFile.PathIn(root);
        var overrides = SettingsFile.Load(root).Space ?? [];
        if (profile.Block is { } block) return new TunableModel(root, block, null, Narrowed(block, SpaceOverrides.Apply(block.SearchSpace, overrides, settingsPath), settingsPath), profile.WrittenFiles);
        if (!allowInit)
            throw AutotuneException.Invalid($"{modelDir}: no [Hyperparameters] block, and --no-init keeps literals as they are: declare a block, or see what would be tuned with `autotune init {modelDir} --dry-run`");
        var plan = InitLifter.Lift(root, profile, modelDir);
        if (plan.IsEmpty)
            throw AutotuneException.Invalid($"{modelDir}: no [Hyperparameters] block, and no literal init can lift safely (layer widths, kernels, learning rate, batch size, epochs, dropout, tree counts): declare a block (docs/rewrite.md)");
        if (overrides.Count == 0) return new TunableModel(root, null, plan, plan.SearchSpace, profile.WrittenFiles);
        var space = SpaceOverrides.Apply(plan.SearchSpace, overrides, settingsPath);
        var lifted = InitLifter.WithDomains(plan, space.Parameters.Where(p => overrides.ContainsKey(p.Name)).ToDictionary(p => p.Name, p => p.Domain), BlockTemplate.ForModel(root));
        // The block holds the code's value too; the search keeps to the override where that made the block wider.
        var searched = lifted.Parameters.Select(p => space[p.Name].Domain.Contains(p.Parameter.Current) ? p.Parameter : p.Parameter with { Domain = space[p.Name].Domain });
        return new TunableModel(root, null, lifted, new SearchSpace(searched.ToList()), profile.WrittenFiles);
    }

    /// <summary>
    /// A block declares its spaces in the code, and every value written into it must lie in them: an
    /// override may narrow a block's parameter, not reach outside its attribute (widen that instead).
    /// </summary>
    private static SearchSpace Narrowed(HyperparameterBlock block, SearchSpace space, string settingsPath) =>
        new(block.Parameters.Zip(space.Parameters).Select(x =>
            Within(x.First.Domain, x.Second.Domain, x.First.Type) is { } d ? x.Second with { Domain = d }
            : throw AutotuneException.Invalid($"{settingsPath}: space.{x.First.Name}: {DetectCommand.Describe(x.Second.Domain)} reaches outside {x.First.Attributes} ({block.File}:{x.First.Line}); widen the attribute in the block, or keep the override inside it")).ToList());

    /// <summary>The override when the declared domain holds all of it (a float's bounds within its rounding, and clipped to it); null otherwise.</summary>
    private static Domain? Within(Domain declared, Domain wanted, string type)
    {
        var slack = type is "float" or "Single" or "System.Single" ? 1e-6 : 0;
        return (declared, wanted) switch
        {
            (_, Choice c) => c.Values.All(declared.Contains) ? c : null,
            (IntRange d, IntRange w) => w.Min >= d.Min && w.Max <= d.Max && d.Contains(w.Min) ? w : null,
            (Choice d, IntRange w) => w.Max - w.Min <= 10_000 && Enumerable.Range(0, (int)(w.Max - w.Min + 1)).All(k => d.Contains(w.Min + k)) ? new Choice(d.Values.Where(v => v is long l && l >= w.Min && l <= w.Max).ToList()) : null,
            (RealRange d, RealRange w) => w.Min >= d.Min - slack * Math.Abs(d.Min) && w.Max <= d.Max + slack * Math.Abs(d.Max)
                ? new RealRange(Math.Max(w.Min, d.Min), Math.Min(w.Max, d.Max), w.Log) : null,
            _ => null,
        };
    }

    /// <summary>"k=v,..." from the command line, typed for this model's parameters.</summary>
    public Assignment Parse(string valuesText) => AssignmentText.Parse(valuesText, Space, ClassName);

    /// <summary><paramref name="given"/>, with the code's own value for every parameter it leaves out: what a trial of them trains.</summary>
    public Assignment WithCodeValues(Assignment given) =>
        new(Space.Current().Values.Where(kv => !given.Values.ContainsKey(kv.Key)).Concat(given.Values).ToDictionary());

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
            + InitCommand.Describe(Lifted, Space);
}

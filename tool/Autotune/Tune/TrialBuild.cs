using Autotune.Detect;
using Autotune.Rewrite;
using Autotune.Search;
using Autotune.Train;

namespace Autotune.Tune;

/// <summary>
/// One trial's program: the block rewritten with the trial's values in a workspace copy of the
/// project, then built into that workspace's own output folder. The user's files are never touched.
/// `autotune run` and `autotune train --values` both build trials this way.
/// </summary>
public static class TrialBuild
{
    public static async Task<BuiltProgram> RewriteAndBuildAsync(ModelProject project, HyperparameterBlock block, TrialWorkspace workspace,
        Assignment values, string buildFolder, string logFile, CancellationToken cancel, ITrialBuilder? builder = null)
    {
        // The block's span is the original's: start each trial from the original file, then rewrite.
        var copy = block with { FullPath = workspace.MapToCopy(block.FullPath) };
        File.Copy(block.FullPath, copy.FullPath, overwrite: true);
        BlockRewriter.ApplyToFile(copy, values, BlockTemplate.ForModel(project.Folder));
        // A study passes its RoslynTrialBuilder (the first build's references, reused); one-off trainings use dotnet build.
        return await (builder ?? new ProjectBuilder()).BuildAsync(workspace.Copy, buildFolder, logFile, cancel);
    }
}

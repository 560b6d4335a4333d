using Autotune.Search;
using Autotune.Train;

namespace Autotune.Tune;

/// <summary>
/// One trial's program: the block (the model's own, or the one lifted from its literals) rewritten with the trial's values in a workspace copy of the
/// project, then built into that workspace's own output folder. The user's files are never touched.
/// `autotune run` and `autotune train --values` both build trials this way.
/// </summary>
public static class TrialBuild
{
    public static async Task<BuiltProgram> RewriteAndBuildAsync(TunableModel model, TrialWorkspace workspace,
        Assignment values, string buildFolder, string logFile, CancellationToken cancel, ITrialBuilder? builder = null)
    {
        model.WriteInto(workspace, values);
        // A study passes its RoslynTrialBuilder (the first build's references, reused); one-off trainings use dotnet build.
        return await (builder ?? new ProjectBuilder()).BuildAsync(workspace.Copy, buildFolder, logFile, cancel);
    }
}

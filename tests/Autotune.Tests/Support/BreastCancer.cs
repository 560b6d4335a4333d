using Autotune.Train;

namespace Autotune.Tests.Support;

/// <summary>The Breast Cancer Wisconsin data, fetched by samples/tabular-breast-cancer/fetch-data.sh (which .ci/run calls).</summary>
public static class BreastCancer
{
    public static string Folder =>
        Environment.GetEnvironmentVariable("BREAST_CANCER_DIR") is { Length: > 0 } d ? d
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } c ? c
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "autotune", "breast-cancer");

    public static string SampleFolder => Path.Combine(Tool.RepositoryRoot, "samples", "tabular-breast-cancer");

    /// <summary>Fails with what to do, rather than skipping: CI always has the data.</summary>
    public static void Require()
    {
        if (!File.Exists(Path.Combine(Folder, "breast_cancer.csv")))
            throw new InvalidOperationException($"the breast cancer data is not in {Folder}: run samples/tabular-breast-cancer/fetch-data.sh (bash .ci/run does)");
    }

    /// <summary>
    /// A copy of the sample beside it (samples/.e2e-*, ignored by git), so it still inherits the repository's
    /// Directory.Build.props and package versions, and a test tunes and applies values there, never in the
    /// sample itself, side by side with other tests. Delete it when done.
    /// </summary>
    public static string CopySample(string name)
    {
        var folder = Path.Combine(Tool.RepositoryRoot, "samples", $".e2e-{name}-{Guid.NewGuid():N}"[..24]);
        TrialWorkspace.Prepare(ModelProject.Open(SampleFolder), folder);
        return folder;
    }
}

namespace Autotune.Tests.Support;

/// <summary>Where `autotune run` keeps a study's trials: &lt;model&gt;/.autotune/studies/&lt;name&gt;-&lt;id&gt;/trials/NNNN.</summary>
public static class StudyFolders
{
    /// <summary>The trial folders of study <paramref name="study"/> of the model in <paramref name="modelFolder"/>, trial 1 first.</summary>
    public static string[] TrialFolders(string modelFolder, string study) =>
        Directory.GetDirectories(Path.Combine(Directory.GetDirectories(Path.Combine(modelFolder, ".autotune", "studies"), study + "-*").Single(), "trials"))
            .Order(StringComparer.Ordinal).ToArray();
}

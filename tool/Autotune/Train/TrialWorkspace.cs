using System.Text.RegularExpressions;

namespace Autotune.Train;

/// <summary>
/// A copy of the model project in which trials rewrite their block and build, so the user's own
/// files change only when the best values are applied. Relative paths in the project file
/// (project references, imports) are made absolute, since the copy lives elsewhere.
/// </summary>
public sealed partial class TrialWorkspace
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj" };

    public ModelProject Original { get; }
    public ModelProject Copy { get; }

    private TrialWorkspace(ModelProject original, ModelProject copy) { Original = original; Copy = copy; }

    /// <summary>Makes (or refreshes) the copy in <paramref name="folder"/>: sources are copied anew, build output kept.</summary>
    public static TrialWorkspace Prepare(ModelProject project, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var stale in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                     .Where(f => !InSkipped(Path.GetRelativePath(folder, f))).ToList())
            File.Delete(stale);
        CopyTree(project.Folder, folder, project.Folder);
        var copyProject = Path.Combine(folder, Path.GetFileName(project.ProjectFile));
        File.WriteAllText(copyProject, AbsolutePaths(File.ReadAllText(copyProject), project.Folder));
        return new TrialWorkspace(project, new ModelProject(folder, copyProject));
    }

    /// <summary>The copy's path of a file of the original project.</summary>
    public string MapToCopy(string originalFile) => Path.Combine(Copy.Folder, Path.GetRelativePath(Original.Folder, originalFile));

    /// <summary>Include="../x" and Project="../x" that point at something existing become absolute.</summary>
    public static string AbsolutePaths(string projectXml, string projectFolder) =>
        PathAttribute().Replace(projectXml, m =>
        {
            var value = m.Groups["value"].Value;
            if (Path.IsPathRooted(value) || value.Contains("$(") || value.Contains('*')) return m.Value;
            var full = Path.GetFullPath(Path.Combine(projectFolder, value.Replace('\\', Path.DirectorySeparatorChar)));
            var outside = Path.GetRelativePath(projectFolder, full).StartsWith("..", StringComparison.Ordinal);
            return outside && (File.Exists(full) || Directory.Exists(full)) ? $"{m.Groups["name"].Value}=\"{full}\"" : m.Value;
        });

    [GeneratedRegex("(?<name>\\b(?:Include|Project|Update))=\"(?<value>[^\"]+)\"")]
    private static partial Regex PathAttribute();

    private static bool InSkipped(string relative) =>
        relative.Split(Path.DirectorySeparatorChar).Any(part => Skipped.Contains(part) || part.StartsWith('.'));

    private static void CopyTree(string from, string to, string root)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
            if (!Files.PathKinds.IsSpecial(file)) // copying a FIFO reads it, which blocks until something writes to it
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(dir);
            if (Skipped.Contains(name) || name.StartsWith('.')) continue;
            if (new DirectoryInfo(dir).LinkTarget is not null) continue; // never follow links out of the project
            CopyTree(dir, Path.Combine(to, name), root);
        }
    }
}

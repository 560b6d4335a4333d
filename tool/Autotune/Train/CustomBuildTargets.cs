using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Autotune.Train;

/// <summary>
/// Finds MSBuild targets a project adds to its build (in the project, Directory.Build.props/targets,
/// the files they import, and its NuGet packages' build files): a target may generate code or
/// change the output, which an in-process compile would silently skip.
/// </summary>
public static partial class CustomBuildTargets
{
    /// <summary>Targets known not to change what the compiler produces.</summary>
    private static readonly HashSet<string> Harmless = new(StringComparer.OrdinalIgnoreCase)
    {
        // The libstdc++ patch: the tool applies it to every output it runs.
        "AutotunePatchLibstdcxxAfterBuild", "AutotunePatchLibstdcxxAfterPublish",
    };

    /// <summary>Tasks that only check or tell, so a target made of nothing else changes no output.</summary>
    private static readonly HashSet<string> CheckingTasks = new(StringComparer.OrdinalIgnoreCase) { "Error", "Warning", "Message" };

    /// <summary>"target X in file F" for the first target that may change the build, or null when there is none.</summary>
    public static string? FirstUnsupported(ModelProject project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = new Queue<string>();
        files.Enqueue(project.ProjectFile);
        foreach (var f in DirectoryBuildFiles(project.Folder)) files.Enqueue(f);
        foreach (var f in PackageBuildFiles(project)) files.Enqueue(f);
        while (files.Count > 0)
        {
            var file = Path.GetFullPath(files.Dequeue());
            if (!seen.Add(file) || !File.Exists(file)) continue;
            XDocument xml;
            try { xml = XDocument.Load(file); }
            catch (System.Xml.XmlException e) { return $"{file} is not readable MSBuild XML ({e.Message})"; }
            foreach (var element in xml.Descendants())
            {
                if (element.Name.LocalName == "Target")
                {
                    var name = (string?)element.Attribute("Name") ?? "";
                    if (Harmless.Contains(name)) continue;
                    if (element.Elements().All(e => CheckingTasks.Contains(e.Name.LocalName))) continue;
                    return $"custom build target '{name}' in {file}";
                }
                if (element.Name.LocalName == "Import" && (string?)element.Attribute("Project") is { } imported && !imported.Contains("$(", StringComparison.Ordinal))
                    files.Enqueue(Path.Combine(Path.GetDirectoryName(file)!, imported));
            }
        }
        return null;
    }

    /// <summary>Directory.Build.props/targets from the project's folder up, as MSBuild looks for them.</summary>
    private static IEnumerable<string> DirectoryBuildFiles(string folder)
    {
        foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets" })
        {
            for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
            {
                var file = Path.Combine(dir.FullName, name);
                if (File.Exists(file)) { yield return file; break; }
            }
        }
    }

    /// <summary>The build files restore imports from packages (obj/*.nuget.g.props/targets), with the package root filled in.</summary>
    private static IEnumerable<string> PackageBuildFiles(ModelProject project)
    {
        var obj = Path.Combine(project.Folder, "obj");
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var g in new[] { ".nuget.g.props", ".nuget.g.targets" })
        {
            var file = Path.Combine(obj, Path.GetFileName(project.ProjectFile) + g);
            if (!File.Exists(file)) continue;
            var text = File.ReadAllText(file);
            if (PackageRoot().Match(text) is { Success: true } m) root = m.Groups[1].Value;
            foreach (Match import in ImportedPackageFile().Matches(text))
                yield return Path.Combine(root, import.Groups[1].Value);
        }
    }

    [GeneratedRegex("<NuGetPackageRoot[^>]*>([^<]+)</NuGetPackageRoot>")]
    private static partial Regex PackageRoot();

    [GeneratedRegex("<Import Project=\"\\$\\(NuGetPackageRoot\\)([^\"]+)\"")]
    private static partial Regex ImportedPackageFile();
}

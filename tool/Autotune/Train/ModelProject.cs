using Autotune.Cli;
using Autotune.Files;

namespace Autotune.Train;

/// <summary>A folder holding exactly one C# project: the model program autotune builds and runs.</summary>
public sealed record ModelProject(string Folder, string ProjectFile)
{
    public string Name => Path.GetFileNameWithoutExtension(ProjectFile);

    /// <summary>Where autotune keeps what it makes for this project (builds, trials, the study); never committed.</summary>
    public string StateFolder => Path.Combine(Folder, ".autotune");

    /// <summary>The model's study store (SQLite), in its state folder.</summary>
    public string StudyStorePath => Path.Combine(StateFolder, "study.db");

    /// <summary>
    /// True when the project references the Autotune SDK (its metrics come from metrics.jsonl); a
    /// project that does not is read from its output. Decided from the project file's references.
    /// </summary>
    public bool ReferencesSdk =>
        System.Text.RegularExpressions.Regex.IsMatch(File.ReadAllText(ProjectFile),
            "<(?:ProjectReference|PackageReference|Reference)[^>]*Include=\"[^\"]*\\bAutotune\\.Sdk(?:\\.TorchSharp)?(?:\\.csproj)?\"",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    public static ModelProject Open(string path)
    {
        var project = Find(path);
        // The project file is read (ReferencesSdk, MSBuild): a FIFO would block the read until something writes to it.
        if (PathKinds.Of(project.ProjectFile) is var kind && kind != PathKind.File)
            throw AutotuneException.Invalid($"{project.ProjectFile} is {kind.Words()}, not a regular file: replace it with the project file itself");
        return project;
    }

    private static ModelProject Find(string path)
    {
        var folder = Path.GetFullPath(path);
        if (File.Exists(folder) && folder.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
            return new ModelProject(Path.GetDirectoryName(folder)!, folder);
        if (!Directory.Exists(folder))
            throw AutotuneException.Invalid(PathKinds.Of(folder) is var kind && kind == PathKind.Missing
                ? $"model folder {path} does not exist: pass the folder of the model project"
                : $"model folder {path} is {kind.Words()}, not a folder: pass the folder of the model project (or its .csproj)");
        var projects = Directory.GetFiles(folder, "*.csproj");
        return projects.Length switch
        {
            1 => new ModelProject(folder, projects[0]),
            0 => throw AutotuneException.Invalid($"{path} holds no .csproj: pass the folder of the model project"),
            _ => throw AutotuneException.Invalid($"{path} holds {projects.Length} projects ({string.Join(", ", projects.Select(Path.GetFileName))}): pass the .csproj to use"),
        };
    }
}

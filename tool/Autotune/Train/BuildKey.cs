using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Autotune.Train;

/// <summary>
/// What a project's build output (everything but its own assembly, which every trial compiles anew) is made
/// of, as one hash: two projects with the same key build to the same references, deps.json, runtimeconfig,
/// natives and copied files, whatever their C# sources say. <see cref="BuildCache"/> files builds by it.
///
/// MSBuild itself evaluates the project (about a second, against 10-40 s for a cold build), so conditions,
/// central package versions and environment variables count as the build would see them. Hashed:
/// - the SDK version, target framework and runtime identifier MSBuild evaluates;
/// - every package, project, framework and assembly reference with its metadata (versions);
/// - the names of the C# sources (their text is compiled in process each trial, so it is not in the key);
/// - the content of every file the build copies or embeds (None, Content, EmbeddedResource items that say so);
/// - the project file, the MSBuild files MSBuild finds above it (Directory.Build.*, Directory.Packages.props,
///   NuGet.config, global.json, .editorconfig), every file of each referenced project, and the values of the
///   environment variables those files name;
/// - the tool's own version.
/// </summary>
public static partial class BuildKey
{
    /// <summary>Files MSBuild, NuGet or the SDK read from the project's folder or any folder above it.</summary>
    private static readonly string[] AncestorFiles =
        ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "Directory.Build.rsp", "NuGet.config", "nuget.config", "NuGet.Config", "global.json", ".editorconfig"];

    private static readonly string[] ItemTypes =
        ["PackageReference", "PackageVersion", "ProjectReference", "FrameworkReference", "Reference", "None", "Content", "EmbeddedResource", "Compile"];

    private static readonly string[] Properties = ["NETCoreSdkVersion", "TargetFramework", "TargetFrameworks", "RuntimeIdentifier", "AssemblyName", "OutputType", "SelfContained"];

    /// <summary>Item metadata that says when or where a file was seen, not what the build makes of it.</summary>
    private static readonly HashSet<string> Volatile = new(StringComparer.Ordinal)
    {
        "ModifiedTime", "CreatedTime", "AccessedTime", "FullPath", "RootDir", "Filename", "Extension", "RelativeDir", "Directory",
        "RecursiveDir", "DefiningProjectFullPath", "DefiningProjectDirectory", "DefiningProjectName", "DefiningProjectExtension", "Identity",
    };

    /// <summary>The key, or the one-line reason there is none (MSBuild could not evaluate the project: the build will say why).</summary>
    public static async Task<(string? Key, string? Why)> ComputeAsync(ModelProject project, CancellationToken cancel)
    {
        var evaluation = Path.Combine(Path.GetTempPath(), $"autotune-evaluation-{Guid.NewGuid():N}.json");
        try
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = project.Folder };
            foreach (var a in new[] { "msbuild", project.ProjectFile, "-nologo", "-p:Configuration=Release", "-getResultOutputFile:" + evaluation })
                start.ArgumentList.Add(a);
            foreach (var p in Properties) start.ArgumentList.Add("-getProperty:" + p);
            foreach (var i in ItemTypes) start.ArgumentList.Add("-getItem:" + i);
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            var output = new List<string>();
            var outcome = await ChildProcess.RunAsync(start, output.Add, TimeSpan.FromMinutes(2), null, cancel);
            if (outcome.ExitCode != 0 || !File.Exists(evaluation))
                return (null, $"MSBuild could not evaluate {project.ProjectFile} (exit {outcome.ExitCode})");
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(evaluation, cancel));
            return (Hash(project, json.RootElement), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException)
        {
            return (null, $"the build key could not be read: {e.Message.ReplaceLineEndings(" ")}");
        }
        finally
        {
            File.Delete(evaluation);
        }
    }

    private static string Hash(ModelProject project, JsonElement evaluated)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => sha.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        Add("autotune build key 1");
        Add(typeof(BuildKey).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?");

        if (evaluated.TryGetProperty("Properties", out var properties))
            foreach (var p in properties.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal)) Add($"property {p.Name}={p.Value.GetString()}");

        var msbuildFiles = new List<string> { project.ProjectFile };
        var referenced = new List<string>();
        if (evaluated.TryGetProperty("Items", out var items))
        {
            foreach (var type in items.EnumerateObject().OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                foreach (var item in type.Value.EnumerateArray())
                {
                    var metadata = item.EnumerateObject().Where(m => !Volatile.Contains(m.Name)).OrderBy(m => m.Name, StringComparer.Ordinal)
                        .Select(m => $"{m.Name}={m.Value.GetString()}");
                    var identity = item.GetProperty("Identity").GetString()!;
                    var full = item.TryGetProperty("FullPath", out var f) ? f.GetString() : null;
                    // The build's own intermediate and output folders are not inputs.
                    if (full is not null && (Under(full, Path.Combine(project.Folder, "obj")) || Under(full, Path.Combine(project.Folder, "bin")))) continue;
                    Add($"item {type.Name} {identity} {string.Join(';', metadata)}");
                    if (type.Name == "ProjectReference" && full is not null) referenced.Add(full);
                    else if (type.Name == "Reference" && Meta(item, "HintPath") is { Length: > 0 } hint) Add("content " + FileHash(Path.GetFullPath(hint, project.Folder)));
                    else if (Copied(type.Name, item) && full is not null) Add("content " + FileHash(full));
                }
            }
        }

        for (var dir = new DirectoryInfo(project.Folder); dir is not null; dir = dir.Parent)
            foreach (var name in AncestorFiles.Distinct(StringComparer.OrdinalIgnoreCase))
                if (Path.Combine(dir.FullName, name) is var file && File.Exists(file)) msbuildFiles.Add(file);

        // Referenced projects build into the output: each one's whole folder counts, and what it references in turn.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(referenced);
        while (queue.Count > 0)
        {
            var reference = Path.GetFullPath(queue.Dequeue());
            if (!seen.Add(reference) || !File.Exists(reference)) { Add($"reference {reference} missing"); continue; }
            var folder = Path.GetDirectoryName(reference)!;
            foreach (var file in ProjectFiles(folder))
            {
                Add($"referenced {Path.GetRelativePath(folder, file)} {FileHash(file)}");
                if (IsMSBuildFile(file)) msbuildFiles.Add(file);
            }
            foreach (Match m in ProjectReferenceInclude().Matches(File.ReadAllText(reference)))
                queue.Enqueue(Path.GetFullPath(m.Groups[1].Value.Replace('\\', Path.DirectorySeparatorChar), folder));
        }

        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in msbuildFiles.Distinct(StringComparer.Ordinal))
        {
            // Inside the project by its relative name, so each slot's workspace (and any copy as deep) shares one key.
            var name = Under(file, project.Folder) || Path.GetDirectoryName(file) == project.Folder ? Path.GetRelativePath(project.Folder, file) : file;
            Add($"msbuild {name} {FileHash(file)}");
            if (IsMSBuildFile(file))
                foreach (Match m in PropertyUse().Matches(File.ReadAllText(file))) names.Add(m.Groups[1].Value);
        }
        // A variable the MSBuild files name may decide a condition or a path; MSBuild reads it from the environment.
        foreach (var name in names)
            if (Environment.GetEnvironmentVariable(name) is { } value) Add($"env {name}={value}");

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..32];
    }

    /// <summary>A None or Content item the build copies to the output, or any embedded resource.</summary>
    private static bool Copied(string type, JsonElement item) => type switch
    {
        "EmbeddedResource" => true,
        "None" or "Content" => Meta(item, "CopyToOutputDirectory") is { Length: > 0 } copy && !copy.Equals("Never", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private static string? Meta(JsonElement item, string name) => item.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static bool IsMSBuildFile(string file) =>
        Path.GetExtension(file).ToLowerInvariant() is ".csproj" or ".props" or ".targets" or ".proj";

    private static bool Under(string path, string folder) =>
        path.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>A referenced project's files, without its build output and hidden folders.</summary>
    private static IEnumerable<string> ProjectFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar)
                .Any(part => part is "bin" or "obj" || part.StartsWith('.')))
            .Order(StringComparer.Ordinal);

    private static string FileHash(string file)
    {
        if (!File.Exists(file)) return "missing";
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    [GeneratedRegex("<ProjectReference\\s[^>]*Include=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ProjectReferenceInclude();

    [GeneratedRegex("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)")]
    private static partial Regex PropertyUse();
}

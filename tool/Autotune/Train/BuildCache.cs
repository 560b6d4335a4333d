using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Autotune.Train;

/// <summary>
/// Builds kept across studies, filed by <see cref="BuildKey"/>: a study of a project whose build inputs did not
/// change since an earlier study (on this machine, in any folder) starts without `dotnet build`. An entry holds
/// the build output, the compiler's command line and the intermediate files that command line names, so the first
/// trial compiles in process as every later trial does.
///
/// Where: $AUTOTUNE_BUILD_CACHE, else $XDG_CACHE_HOME/autotune/builds, else ~/.cache/autotune/builds.
/// AUTOTUNE_BUILD_CACHE=off builds every study from scratch. The <see cref="Keep"/> most recently used entries stay.
/// </summary>
public sealed class BuildCache(string root)
{
    public const string Variable = "AUTOTUNE_BUILD_CACHE";
    /// <summary>Entries kept; a TorchSharp build is about 0.5 GB (hard links where the cache and the project share a file system).</summary>
    public const int Keep = 4;
    private const string Arguments = "compiler-arguments.json";
    private const string Output = "out";
    private const string Intermediate = "workspace";
    private const string Inputs = "inputs";
    private const string Used = "used";

    public string Root { get; } = root;

    /// <summary>The cache the environment asks for, or null when it says off.</summary>
    public static BuildCache? FromEnvironment() =>
        FromSetting(Environment.GetEnvironmentVariable(Variable), Environment.GetEnvironmentVariable("XDG_CACHE_HOME"),
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The cache <paramref name="setting"/> (the variable's value) names: off, a folder, or unset for the user's cache folder.</summary>
    public static BuildCache? FromSetting(string? setting, string? xdgCacheHome, string home)
    {
        setting = setting?.Trim();
        if (setting is { Length: > 0 })
            return setting.ToLowerInvariant() is "off" or "0" or "false" or "no" ? null : new BuildCache(Path.GetFullPath(setting));
        var cache = xdgCacheHome is { Length: > 0 } xdg ? xdg : Path.Combine(home, ".cache");
        return new BuildCache(Path.Combine(cache, "autotune", "builds"));
    }

    /// <summary>The entry for <paramref name="key"/>, marked as used now; null when there is none.</summary>
    public Entry? Find(string key)
    {
        var folder = Path.Combine(Root, key);
        if (!File.Exists(Path.Combine(folder, Arguments)) || !Directory.Exists(Path.Combine(folder, Output))) return null;
        try { File.WriteAllText(Path.Combine(folder, Used), DateTime.UtcNow.ToString("O")); }
        catch (IOException) { } // a cache on a read-only disk still serves
        catch (UnauthorizedAccessException) { }
        return new Entry(folder);
    }

    /// <summary>
    /// Files a successful build: its output folder, its compiler command line (paths outside the project, the SDK and
    /// the NuGet package folder copied into the entry, since a referenced project's output may be gone next time) and
    /// the project's intermediate files that command line names. An entry another study filed first is kept.
    /// </summary>
    public void Store(string key, string projectFolder, string outputFolder, string argumentsFile)
    {
        var final = Path.Combine(Root, key);
        if (Directory.Exists(final)) return;
        Directory.CreateDirectory(Root);
        var temp = Path.Combine(Root, $".new-{key}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(temp);
            // Copied, not linked: the study's next `dotnet build` overwrites its output in place.
            CopyTree(outputFolder, Path.Combine(temp, Output), link: false);
            var document = JsonNode.Parse(File.ReadAllText(argumentsFile))!;
            var items = document["Items"]!["CscCommandLineArgs"]!.AsArray();
            var inputs = 0;
            foreach (var item in items)
            {
                var identity = item!["Identity"]!.GetValue<string>();
                var (option, value) = Split(identity);
                if (value is null || Outputs.Contains(option ?? "")) continue;
                var path = Path.GetFullPath(value, projectFolder);
                if (!File.Exists(path)) continue;
                if (!Path.IsPathRooted(value))
                {
                    // A relative path the project made (obj/...): kept at the same place, restored into the next workspace.
                    var relative = Path.GetRelativePath(projectFolder, path);
                    if (relative.Split(Path.DirectorySeparatorChar)[0] is "obj" or "bin")
                        CopyInto(path, Path.Combine(temp, Intermediate, relative));
                }
                else if (!Stable(path))
                {
                    var kept = Path.Combine(temp, Inputs, $"{inputs++}-{Path.GetFileName(path)}");
                    CopyInto(path, kept);
                    item["Identity"] = Join(option, Path.Combine(final, Inputs, Path.GetFileName(kept)));
                }
            }
            File.WriteAllText(Path.Combine(temp, Arguments), document.ToJsonString());
            File.WriteAllText(Path.Combine(temp, Used), DateTime.UtcNow.ToString("O"));
            try { Directory.Move(temp, final); }
            catch (IOException) when (Directory.Exists(final)) { } // filed meanwhile by another study
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
        Evict();
    }

    /// <summary>Keeps the <see cref="Keep"/> entries used last; one in use elsewhere is only unlinked from the cache.</summary>
    private void Evict()
    {
        var entries = new DirectoryInfo(Root).EnumerateDirectories()
            .Where(d => !d.Name.StartsWith('.'))
            .OrderByDescending(d => File.Exists(Path.Combine(d.FullName, Used)) ? File.GetLastWriteTimeUtc(Path.Combine(d.FullName, Used)) : d.LastWriteTimeUtc)
            .Skip(Keep).ToList();
        foreach (var old in entries)
        {
            try { old.Delete(recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>One filed build.</summary>
    public sealed class Entry(string folder)
    {
        public string Folder { get; } = folder;
        public string Key => Path.GetFileName(Folder);
        public string ArgumentsFile => Path.Combine(Folder, Arguments);

        /// <summary>
        /// Puts the build into a study: its output into <paramref name="outputFolder"/> (emptied first; hard links
        /// where possible, never written through, since the cache keeps the same files) and its intermediate files
        /// into the project's workspace.
        /// </summary>
        public void RestoreInto(string projectFolder, string outputFolder)
        {
            if (Directory.Exists(outputFolder)) Directory.Delete(outputFolder, recursive: true);
            CopyTree(Path.Combine(Folder, Output), outputFolder, link: true);
            var intermediate = Path.Combine(Folder, Intermediate);
            if (!Directory.Exists(intermediate)) return;
            foreach (var file in Directory.EnumerateFiles(intermediate, "*", SearchOption.AllDirectories))
                CopyInto(file, Path.Combine(projectFolder, Path.GetRelativePath(intermediate, file)));
        }
    }

    /// <summary>Options whose value the compiler writes, not reads.</summary>
    private static readonly HashSet<string> Outputs = new(StringComparer.OrdinalIgnoreCase)
        { "out", "refout", "doc", "errorlog", "pdb", "generatedfilesout", "sourcelink", "touchedfiles" };

    /// <summary>"/reference:/a/b.dll" gives ("reference", "/a/b.dll"); "Program.cs" gives (null, "Program.cs"); "/optimize+" gives no value.</summary>
    private static (string? Option, string? Value) Split(string argument)
    {
        if (!argument.StartsWith('/') && !argument.StartsWith('-')) return (null, Unquote(argument));
        var colon = argument.IndexOf(':');
        if (colon < 0) return (argument[1..], null);
        return (argument[1..colon], Unquote(argument[(colon + 1)..]));
    }

    private static string Join(string? option, string value) => option is null ? value : $"/{option}:{value}";

    private static string Unquote(string value) => value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;

    /// <summary>Under the .NET installation or the NuGet package folder: versioned paths that stay as they are.</summary>
    private static bool Stable(string path) => StableRoots.Value.Any(root => path.StartsWith(root, StringComparison.Ordinal));

    private static readonly Lazy<string[]> StableRoots = new(() =>
    {
        var runtime = RuntimeEnvironment.GetRuntimeDirectory(); // <dotnet>/shared/Microsoft.NETCore.App/<version>/
        var dotnet = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return [.. new[] { dotnet, packages }.Select(root => Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar)];
    });

    private static void CopyInto(string file, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(file, target, overwrite: true);
    }

    /// <summary>
    /// A copy of a folder, links followed. With <paramref name="link"/>, hard links where the file system allows
    /// (a 0.5 GB TorchSharp output then costs nothing); only for a folder nothing writes into afterwards.
    /// </summary>
    private static void CopyTree(string from, string to, bool link)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry is DirectoryInfo dir) { CopyTree(dir.FullName, target, link); continue; }
            var source = entry.LinkTarget is not null ? entry.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? entry.FullName : entry.FullName;
            if (!link || !HardLink(source, target)) File.Copy(source, target, overwrite: true);
        }
    }

    private static bool HardLink(string source, string target)
    {
        try { return link(source, target) == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; } // not a Unix libc
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int link(string oldpath, string newpath);
}

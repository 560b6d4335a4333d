using System.Text;

namespace Autotune.Detect;

/// <summary>
/// Finds the C# files of a model folder without following it anywhere dangerous: bin/, obj/ and
/// dot-folders (.git, .autotune) are skipped, generated files are skipped, a symlinked folder that
/// leads back into itself is reported instead of walked forever, and files that are not UTF-8 or
/// are too large to be hand-written model code are reported instead of parsed.
/// </summary>
public static class ModelSources
{
    /// <summary>Larger than any hand-written model file; a file this big is data or generated.</summary>
    public const long MaxFileBytes = 2 * 1024 * 1024;

    private static readonly string[] SkippedFolders = ["bin", "obj", "node_modules", "TestResults"];
    private static readonly string[] GeneratedSuffixes = [".g.cs", ".g.i.cs", ".designer.cs", ".generated.cs", ".AssemblyInfo.cs", ".AssemblyAttributes.cs"];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public sealed record Loaded(string Path, string FullPath, string Text);

    /// <summary>Every readable model source under <paramref name="root"/>, in ordinal path order; problems are added to <paramref name="problems"/>.</summary>
    public static List<Loaded> Load(string root, List<DetectProblem> problems)
    {
        var files = new List<(string Rel, string Full)>();
        Walk(root, root, new DirectoryInfo(root), new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal), files, problems);
        files.Sort((a, b) => string.CompareOrdinal(a.Rel, b.Rel));
        var loaded = new List<Loaded>(files.Count);
        foreach (var (rel, full) in files)
            if (Read(rel, full, problems) is { } text) loaded.Add(new Loaded(rel, full, text));
        return loaded;
    }

    public static string Relative(string root, string full) => Path.GetRelativePath(root, full).Replace('\\', '/');

    private static void Walk(string root, string path, DirectoryInfo dir, HashSet<string> ancestors, HashSet<string> seen, List<(string, string)> files, List<DetectProblem> problems)
    {
        string real;
        try { real = dir.LinkTarget is null ? dir.FullName : (dir.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dir.FullName); }
        catch (IOException e)
        {
            // A link that resolves to itself (a -> b -> a) fails to resolve: that is a loop too.
            problems.Add(DetectProblem.Error(Relative(root, path), 0, 0, $"symbolic link loop or broken link ({e.Message}): remove the link or point it outside the model folder"));
            return;
        }
        real = Path.TrimEndingDirectorySeparator(Path.GetFullPath(real));
        if (ancestors.Contains(real))
        {
            problems.Add(DetectProblem.Error(Relative(root, path), 0, 0,
                $"symbolic link loop: {Relative(root, path)} leads back to {Relative(root, real)}, which is already being read; remove the link"));
            return;
        }
        // The same folder reached twice through links (not a loop) is read once.
        if (!seen.Add(real)) return;
        ancestors.Add(real);
        IEnumerable<FileSystemInfo> entries;
        try { entries = dir.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(DetectProblem.Error(Relative(root, path), 0, 0, $"cannot list the folder ({e.Message}): fix its permissions"));
            ancestors.Remove(real);
            return;
        }
        foreach (var entry in entries)
        {
            var full = Path.Combine(path, entry.Name);
            if (entry is DirectoryInfo sub)
            {
                if (entry.Name.StartsWith('.') || SkippedFolders.Contains(entry.Name, StringComparer.OrdinalIgnoreCase)) continue;
                if (LeadsOutside(root, full, entry, problems)) continue;
                Walk(root, full, sub, ancestors, seen, files, problems);
            }
            else if (IsSource(entry.Name) && !LeadsOutside(root, full, entry, problems))
            {
                files.Add((Relative(root, full), full));
            }
        }
        ancestors.Remove(real);
    }

    /// <summary>A link out of the model folder would have detect read, and apply write, files that are not the model's: an error.</summary>
    private static bool LeadsOutside(string root, string full, FileSystemInfo entry, List<DetectProblem> problems)
    {
        if (entry.LinkTarget is null || RepositoryFile.Outside(root, full) is not { } outside) return false;
        problems.Add(DetectProblem.Error(Relative(root, full), 0, 0,
            $"symbolic link to {outside}, outside the model folder: autotune reads only the model folder's own files; copy them in instead of linking"));
        return true;
    }

    private static bool LinkResolves(FileInfo link)
    {
        try { return link.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true }; }
        catch (IOException) { return false; } // too many levels of links: a loop
    }

    private static bool IsSource(string name) => name.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) && !IsGeneratedName(name);

    public static bool IsGeneratedName(string name) => GeneratedSuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    private static string? Read(string rel, string full, List<DetectProblem> problems)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(full);
            if (info.LinkTarget is not null && !LinkResolves(info))
            {
                problems.Add(DetectProblem.Error(rel, 0, 0, "symbolic link to nothing (or a loop of links): remove it or fix its target"));
                return null;
            }
            if (info.Length > MaxFileBytes)
            {
                problems.Add(DetectProblem.Error(rel, 0, 0,
                    $"file is {info.Length / (1024.0 * 1024.0):F1} MB, more than the {MaxFileBytes / (1024 * 1024)} MB autotune reads as model code: move data out of the source or out of the model folder"));
                return null;
            }
            bytes = File.ReadAllBytes(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(DetectProblem.Error(rel, 0, 0, $"cannot read the file ({e.Message})"));
            return null;
        }
        var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;
        try
        {
            var text = StrictUtf8.GetString(bytes, start, bytes.Length - start);
            return IsGeneratedText(text) ? null : text;
        }
        catch (DecoderFallbackException e)
        {
            var offset = start + Math.Max(0, e.Index);
            var line = 1 + bytes.AsSpan(0, Math.Min(offset, bytes.Length)).Count((byte)'\n');
            problems.Add(DetectProblem.Error(rel, line, 0, $"not UTF-8 (invalid byte 0x{(offset < bytes.Length ? bytes[offset] : 0):X2} at byte {offset}): save the file as UTF-8"));
            return null;
        }
    }

    /// <summary>The marker tools put at the top of generated code.</summary>
    private static bool IsGeneratedText(string text)
    {
        var head = text.AsSpan(0, Math.Min(text.Length, 400)).TrimStart();
        return head.StartsWith("// <auto-generated", StringComparison.OrdinalIgnoreCase) || head.StartsWith("//<auto-generated", StringComparison.OrdinalIgnoreCase);
    }
}

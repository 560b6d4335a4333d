using System.Text;
using Autotune.Cli;
using Autotune.Files;

namespace Autotune.Detect;

/// <summary>
/// Finds the C# files of a model folder without following it anywhere dangerous: bin/, obj/ and
/// dot-folders (.git, .autotune) are skipped, generated files are skipped, a symlinked folder that
/// leads back into itself is reported instead of walked forever, and files that are not UTF-8 or
/// are too large to be hand-written model code are reported instead of parsed. The walk is bounded:
/// /proc, /sys and other kernel file systems are not entered, FIFOs and devices are not read, and a
/// folder past <see cref="MaxFolders"/>, <see cref="MaxSources"/>, <see cref="MaxEntries"/> or
/// <see cref="MaxSourceBytes"/> is refused, so `autotune detect /` ends in seconds.
/// </summary>
public static class ModelSources
{
    /// <summary>Larger than any hand-written model file; a file this big is data or generated.</summary>
    public const long MaxFileBytes = 2 * 1024 * 1024;

    // Far more than any model project holds (the samples have 1 folder and 2 files); past them is a repository root, a home folder or /.
    public const int MaxFolders = 5000;
    public const int MaxSources = 5000;
    public const int MaxEntries = 200_000;
    public const long MaxSourceBytes = 100L * 1024 * 1024;

    private static readonly string[] SkippedFolders = ["bin", "obj", "node_modules", "TestResults"];
    private static readonly string[] GeneratedSuffixes = [".g.cs", ".g.i.cs", ".designer.cs", ".generated.cs", ".AssemblyInfo.cs", ".AssemblyAttributes.cs"];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public sealed record Loaded(string Path, string FullPath, string Text);

    /// <summary>One walk's state: what it has seen, found and counted.</summary>
    private sealed class Scan(string root, List<DetectProblem> problems)
    {
        public string Root { get; } = root;
        public List<DetectProblem> Problems { get; } = problems;
        public HashSet<string> Ancestors { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);
        public List<(string Rel, string Full)> Files { get; } = [];
        public PseudoFileSystems Pseudo { get; } = PseudoFileSystems.Read();
        public int Entries;

        public AutotuneException TooLarge(string what) => AutotuneException.Invalid(
            $"{Root} holds more than {what} (bin/, obj/, node_modules/ and dot-folders not counted): too large to be a model folder; pass the folder of the model project");
    }

    /// <summary>Every readable model source under <paramref name="root"/>, in ordinal path order; problems are added to <paramref name="problems"/>.</summary>
    public static List<Loaded> Load(string root, List<DetectProblem> problems)
    {
        var scan = new Scan(root, problems);
        Walk(scan, root, new DirectoryInfo(root));
        var files = scan.Files;
        files.Sort((a, b) => string.CompareOrdinal(a.Rel, b.Rel));
        var loaded = new List<Loaded>(files.Count);
        long bytes = 0;
        foreach (var (rel, full) in files)
            if (Read(rel, full, problems) is { } text)
            {
                if ((bytes += text.Length) > MaxSourceBytes) throw scan.TooLarge($"{MaxSourceBytes / (1024 * 1024)} MB of .cs files");
                loaded.Add(new Loaded(rel, full, text));
            }
        return loaded;
    }

    public static string Relative(string root, string full) => Path.GetRelativePath(root, full).Replace('\\', '/');

    private static void Walk(Scan scan, string path, DirectoryInfo dir)
    {
        var (root, problems) = (scan.Root, scan.Problems);
        string real;
        try { real = dir.LinkTarget is null ? dir.FullName : (dir.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dir.FullName); }
        catch (IOException e)
        {
            // A link that resolves to itself (a -> b -> a) fails to resolve: that is a loop too.
            problems.Add(DetectProblem.Error(Relative(root, path), 0, 0, $"symbolic link loop or broken link ({e.Message}): remove the link or point it outside the model folder"));
            return;
        }
        real = Path.TrimEndingDirectorySeparator(Path.GetFullPath(real));
        if (scan.Pseudo.TypeAt(RealOrAsIs(real)) is { } pseudo)
        {
            if (path == root)
                throw AutotuneException.Invalid($"{root} is on a {pseudo} file system, which holds kernel state, not files: pass the folder of the model project");
            return; // /proc under / is no part of a model
        }
        if (scan.Ancestors.Contains(real))
        {
            problems.Add(DetectProblem.Error(Relative(root, path), 0, 0,
                $"symbolic link loop: {Relative(root, path)} leads back to {Relative(root, real)}, which is already being read; remove the link"));
            return;
        }
        // The same folder reached twice through links (not a loop) is read once.
        if (!scan.Seen.Add(real)) return;
        if (scan.Seen.Count > MaxFolders) throw scan.TooLarge($"{MaxFolders} folders");
        scan.Ancestors.Add(real);
        IEnumerable<FileSystemInfo> entries;
        try
        {
            var listed = new List<FileSystemInfo>();
            foreach (var entry in dir.EnumerateFileSystemInfos())
            {
                if (++scan.Entries > MaxEntries) throw scan.TooLarge($"{MaxEntries} files and folders");
                listed.Add(entry);
            }
            entries = listed.OrderBy(e => e.Name, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(DetectProblem.Error(Relative(root, path), 0, 0, $"cannot list the folder ({e.Message}): fix its permissions"));
            scan.Ancestors.Remove(real);
            return;
        }
        foreach (var entry in entries)
        {
            var full = Path.Combine(path, entry.Name);
            if (entry is DirectoryInfo sub)
            {
                if (entry.Name.StartsWith('.') || SkippedFolders.Contains(entry.Name, StringComparer.OrdinalIgnoreCase)) continue;
                if (LeadsOutside(root, full, entry, problems)) continue;
                Walk(scan, full, sub);
            }
            else if (IsSource(entry.Name) && !LeadsOutside(root, full, entry, problems))
            {
                scan.Files.Add((Relative(root, full), full));
                if (scan.Files.Count > MaxSources) throw scan.TooLarge($"{MaxSources} .cs files");
            }
        }
        scan.Ancestors.Remove(real);
    }

    private static string RealOrAsIs(string path)
    {
        try { return RepositoryFile.RealPath(path); }
        catch (IOException) { return path; } // a loop of links: reported where the walk meets it
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
            if (PathKinds.Of(full) is var kind && kind != PathKind.File)
            {
                // Reading a FIFO blocks until something writes to it, and a device may never end.
                problems.Add(DetectProblem.Error(rel, 0, 0, $"is {kind.Words()}, not a regular file: replace it with the source file itself"));
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

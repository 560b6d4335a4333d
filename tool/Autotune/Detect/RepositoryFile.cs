using Autotune.Cli;
using Autotune.Files;

namespace Autotune.Detect;

/// <summary>
/// A file the tool reads from a model repository on the controller host (autotune.json, templates, the image
/// catalogue, sources). A repository can hold symbolic links, so a link named templates/report/report.txt.sbn
/// could make the report render /etc/passwd: every such file must lie inside its folder once every link on
/// its way is followed.
/// </summary>
public static class RepositoryFile
{
    /// <summary>As the kernel's limit (MAXSYMLINKS): more links than this on one path is a loop.</summary>
    private const int MaxLinks = 40;

    /// <summary>
    /// The path with every symbolic link on it followed, as realpath(3) does: '..' after a link goes up from
    /// where the link leads, not from where it sits. Parts that do not exist are kept as written.
    /// </summary>
    public static string RealPath(string path)
    {
        var links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    private static string Resolve(string full, ref int links)
    {
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { current = Path.GetDirectoryName(current) ?? current; continue; }
            var next = Path.Combine(current, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is null) { current = next; continue; }
            if (++links > MaxLinks) throw new IOException($"too many levels of symbolic links at {next}");
            // A relative target is relative to the link's folder, which is already real.
            current = Resolve(Path.IsPathRooted(target) ? target : current + Path.DirectorySeparatorChar + target, ref links);
        }
        return current;
    }

    private static readonly char[] Separators = ['/', Path.DirectorySeparatorChar];

    /// <summary>Where <paramref name="path"/> really leads when that is outside <paramref name="folder"/> (links followed in both); null when inside.</summary>
    public static string? Outside(string folder, string path)
    {
        string real, realFolder;
        try
        {
            realFolder = Path.TrimEndingDirectorySeparator(RealPath(folder));
            real = RealPath(path);
        }
        catch (IOException) { return null; } // a loop of links leads nowhere: reading it fails as the system's own lookup does
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var inside = real.Equals(realFolder, comparison)
                     || real.StartsWith(realFolder + Path.DirectorySeparatorChar, comparison)
                     || realFolder == Path.GetPathRoot(realFolder);
        return inside ? null : real;
    }

    /// <summary>
    /// Refuses (exit 2, one line) a file of <paramref name="folder"/> that leads outside it, or that is a FIFO, socket or
    /// device (reading one could block or never end); <paramref name="folderWords"/> names the folder for the user.
    /// </summary>
    public static void CheckInside(string folder, string path, string folderWords = "the model folder")
    {
        if (Outside(folder, path) is { } real)
            throw AutotuneException.Invalid(
                $"{path} leads to {real}, outside {folderWords} {folder}: autotune reads only files inside it; replace the symbolic link with the file itself");
        if (PathKinds.Of(path) is var kind && kind is PathKind.Fifo or PathKind.Socket or PathKind.Device)
            throw AutotuneException.Invalid($"{path} is {kind.Words()}, not a regular file: autotune reads only regular files; replace it with the file itself");
    }

    /// <summary>The text of a file of <paramref name="folder"/>, refused when a link takes it outside the folder.</summary>
    public static string ReadAllText(string folder, string path, string folderWords = "the model folder")
    {
        CheckInside(folder, path, folderWords);
        return File.ReadAllText(path);
    }
}

namespace Autotune.Study;

/// <summary>
/// The other processes of this machine that have a file open, read from Linux's /proc (elsewhere: none known),
/// so a message about a locked study store can say who holds it ("pid 4242 (sqlite3)").
/// </summary>
public static class FileUsers
{
    public static IReadOnlyList<string> Of(string path, int atMost = 5)
    {
        if (!OperatingSystem.IsLinux()) return [];
        var full = Path.GetFullPath(path);
        var found = new List<string>();
        IEnumerable<string> processes;
        try { processes = Directory.EnumerateDirectories("/proc"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
        foreach (var dir in processes)
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                if (!Directory.EnumerateFiles(Path.Combine(dir, "fd")).Any(fd => new FileInfo(fd).LinkTarget == full)) continue;
                var name = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                found.Add($"pid {pid} ({name})");
                if (found.Count >= atMost) break;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // gone, or not ours to read
        }
        return found;
    }
}

using System.Security.Cryptography;
using System.Text.Json;

namespace Autotune;

/// <summary>A checkpoint that was written whole: its epoch and the folder holding its files.</summary>
public sealed record Checkpoint(int Epoch, string Folder)
{
    public string File(string name) => Path.Combine(Folder, name);
}

/// <summary>
/// Checkpoints as folders <c>epoch-NNNN</c>, each written in a temporary folder, verified by a
/// manifest of SHA-256 sums, and renamed into place: a kill at any moment leaves either the
/// previous checkpoint or the new one, never half of one. Only the newest few are kept.
/// </summary>
public sealed class CheckpointStore(string root, int keep = 2)
{
    private const string Manifest = "manifest.json";
    public string Root { get; } = root;

    /// <summary>Writes a checkpoint: <paramref name="write"/> fills the given folder with files.</summary>
    public Checkpoint Save(int epoch, Action<string> write)
    {
        var temp = Path.Combine(Root, $".epoch-{epoch:D4}.{Environment.ProcessId}.tmp");
        try
        {
            return SaveVia(epoch, temp, write);
        }
        catch (IOException e) when (IsDiskFull(e))
        {
            // The half-written copy goes, the previous checkpoints stay: a resume after freeing space loses one epoch at most.
            try { if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true); } catch (IOException) { }
            var message = $"disk full while writing the checkpoint of epoch {epoch} in {Root}: free space and run again (the previous checkpoint is intact)";
            DiskFull?.Invoke(message);
            throw new IOException(message, e);
        }
    }

    /// <summary>Set by <see cref="Trial"/>: reports the full disk to the tool as an infrastructure failure instead of a crash.</summary>
    internal Action<string>? DiskFull { get; set; }

    /// <summary>ENOSPC (28) or EDQUOT (122) on Unix, ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.</summary>
    internal static bool IsDiskFull(IOException e) =>
        OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 0x70 or 0x27 : e.HResult is 28 or 122;

    private Checkpoint SaveVia(int epoch, string temp, Action<string> write)
    {
        Directory.CreateDirectory(Root);
        var final = Path.Combine(Root, $"epoch-{epoch:D4}");
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        write(temp);
        var sums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(temp))
        {
            using (var s = new FileStream(file, FileMode.Open, FileAccess.ReadWrite)) s.Flush(flushToDisk: true);
            sums[Path.GetFileName(file)] = Sha256(file);
        }
        var manifestPath = Path.Combine(temp, Manifest);
        using (var s = new FileStream(manifestPath, FileMode.CreateNew, FileAccess.Write))
        {
            JsonSerializer.Serialize(s, new ManifestData(epoch, sums));
            s.Flush(flushToDisk: true);
        }
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(temp, final);
        Prune();
        return new Checkpoint(epoch, final);
    }

    /// <summary>The newest checkpoint whose files match its manifest, or null when there is none.</summary>
    public Checkpoint? Latest()
    {
        if (!Directory.Exists(Root)) return null;
        foreach (var folder in Complete().OrderByDescending(c => c.Epoch))
            if (Verify(folder.Folder)) return folder;
        return null;
    }

    /// <summary>True when every file listed in the manifest is present with the same checksum.</summary>
    public static bool Verify(string folder)
    {
        try
        {
            var path = Path.Combine(folder, Manifest);
            if (!File.Exists(path)) return false;
            var data = JsonSerializer.Deserialize<ManifestData>(File.ReadAllText(path));
            if (data?.Files is null) return false;
            return data.Files.All(kv => File.Exists(Path.Combine(folder, kv.Key)) && Sha256(Path.Combine(folder, kv.Key)) == kv.Value);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private IEnumerable<Checkpoint> Complete() =>
        Directory.GetDirectories(Root, "epoch-*")
            .Select(d => (d, ok: int.TryParse(Path.GetFileName(d)["epoch-".Length..], out var e), e))
            .Where(x => x.ok)
            .Select(x => new Checkpoint(x.e, x.d));

    private void Prune()
    {
        foreach (var old in Complete().OrderByDescending(c => c.Epoch).Skip(keep))
            Directory.Delete(old.Folder, recursive: true);
        foreach (var stale in Directory.GetDirectories(Root, ".epoch-*.tmp"))
            try { Directory.Delete(stale, recursive: true); } catch (IOException) { }
    }

    private static string Sha256(string file)
    {
        using var s = File.OpenRead(file);
        return Convert.ToHexString(SHA256.HashData(s));
    }

    private sealed record ManifestData(int Epoch, SortedDictionary<string, string> Files);
}

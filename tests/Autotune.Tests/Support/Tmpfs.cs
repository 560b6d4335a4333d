using System.Diagnostics;

namespace Autotune.Tests.Support;

/// <summary>
/// A small tmpfs mounted on a folder for a disk-full test, filled on demand. CI runs as root, so the
/// mount is always possible there; elsewhere the test fails saying why rather than passing untested.
/// Unmounted (lazily, if something still holds it) when disposed, also when the test failed.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    private const string Filler = ".filler";

    public string Path { get; }

    public Tmpfs(string folder, int megabytes)
    {
        Path = folder;
        Directory.CreateDirectory(folder);
        var (code, output) = Command("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", folder);
        if (code != 0) throw new InvalidOperationException($"cannot mount a tmpfs on {folder} (the disk-full tests need root, as CI has): {output}");
    }

    /// <summary>Writes one file until the filesystem is full, so the next write anywhere on it fails with ENOSPC.</summary>
    public void Fill()
    {
        var chunk = new byte[64 * 1024];
        using var file = new FileStream(System.IO.Path.Combine(Path, Filler), FileMode.Append, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
        try
        {
            while (true) file.Write(chunk);
        }
        catch (IOException) { } // full
        // What is left below one chunk, byte by byte, so not even a small append fits.
        try
        {
            while (true) file.Write(chunk, 0, 1);
        }
        catch (IOException) { }
    }

    /// <summary>Removes the filler: the filesystem has room again.</summary>
    public void Free() => File.Delete(System.IO.Path.Combine(Path, Filler));

    public void Dispose()
    {
        if (Command("umount", Path).Code != 0) Command("umount", "-l", Path);
    }

    private static (int Code, string Output) Command(string name, params string[] args)
    {
        var start = new ProcessStartInfo(name) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Trim());
    }
}

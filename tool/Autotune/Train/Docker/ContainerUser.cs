using System.Runtime.InteropServices;
using Autotune.Cli;

namespace Autotune.Train.Docker;

/// <summary>
/// The uid:gid a trial container runs as: the caller's own, so files in the trial folder stay theirs;
/// when the caller is root (CI agents often are), an unprivileged 1000:1000 that is given the trial folder.
/// </summary>
public static class ContainerUser
{
    public const uint Unprivileged = 1000;

    public static (uint Uid, uint Gid) ForCaller()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return (Unprivileged, Unprivileged);
        var (uid, gid) = (getuid(), getgid());
        return uid == 0 ? (Unprivileged, Unprivileged) : (uid, gid);
    }

    /// <summary>Makes the trial folder writable by the container's user (needed only when the caller is root).</summary>
    public static void GiveFolder(string folder, uint uid, uint gid)
    {
        if (!OperatingSystem.IsLinux() || getuid() != 0) return;
        Chown(folder, uid, gid);
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories))
            Chown(entry, uid, gid);
    }

    /// <summary>
    /// When the caller is root the container's user is 1000, and under `run` it reaches its trial folder through
    /// the read-only source: every folder between them must let others pass (x), or the program cannot open its
    /// own trial folder. Says so in one line rather than letting the program fail on a path it was handed.
    /// </summary>
    public static void EnsureReachable(string source, string trialFolder)
    {
        if (!OperatingSystem.IsLinux() || getuid() != 0) return;
        var top = Path.GetFullPath(source).TrimEnd('/');
        for (var dir = Path.GetDirectoryName(Path.GetFullPath(trialFolder).TrimEnd('/')); dir is not null && dir.Length >= top.Length; dir = Path.GetDirectoryName(dir))
        {
            if (!dir.StartsWith(top, StringComparison.Ordinal)) break;
            if ((File.GetUnixFileMode(dir) & UnixFileMode.OtherExecute) == 0)
                throw AutotuneException.Invalid(
                    $"the container runs as {Unprivileged}:{Unprivileged} (autotune runs as root) and cannot pass {dir} (mode {Convert.ToString((int)File.GetUnixFileMode(dir), 8)}) to reach its trial folder: chmod o+x {dir}, or run autotune as the folder's owner");
        }
    }

    private static void Chown(string path, uint uid, uint gid)
    {
        if (lchown(path, uid, gid) != 0)
            throw new AutotuneException(ExitCodes.Infrastructure,
                $"cannot hand {path} to the container user {uid}:{gid} (errno {Marshal.GetLastWin32Error()}): check the trial folder's file system");
    }

    // DllImport rather than LibraryImport: no unsafe code in the tool for three plain calls.
    [DllImport("libc", SetLastError = true)] private static extern uint getuid();
    [DllImport("libc", SetLastError = true)] private static extern uint getgid();
    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)] private static extern int lchown(string path, uint owner, uint group);
}

using System.Runtime.InteropServices;

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

    private static void Chown(string path, uint uid, uint gid)
    {
        if (lchown(path, uid, gid) != 0)
            throw new Cli.AutotuneException(Cli.ExitCodes.Infrastructure,
                $"cannot hand {path} to the container user {uid}:{gid} (errno {Marshal.GetLastWin32Error()}): check the trial folder's file system");
    }

    // DllImport rather than LibraryImport: no unsafe code in the tool for three plain calls.
    [DllImport("libc", SetLastError = true)] private static extern uint getuid();
    [DllImport("libc", SetLastError = true)] private static extern uint getgid();
    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)] private static extern int lchown(string path, uint owner, uint group);
}

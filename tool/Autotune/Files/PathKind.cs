using System.Runtime.InteropServices;

namespace Autotune.Files;

/// <summary>What a path is on disk. Only a <see cref="File"/> is ever opened for reading: opening a FIFO blocks until
/// something writes to it, and a device or /proc file may never end.</summary>
public enum PathKind { Missing, File, Folder, Fifo, Socket, Device }

/// <summary>
/// Tells a regular file from a FIFO, socket or device, which .NET does not: <see cref="FileAttributes"/> calls them all
/// Normal. Asks the runtime's own native shim (System.Native, always loaded) for stat(2), as .NET does inside File.
/// </summary>
public static class PathKinds
{
    /// <summary>The kind of <paramref name="path"/>, following symbolic links (a dangling link is Missing).</summary>
    public static PathKind Of(string path)
    {
        if (OperatingSystem.IsWindows()) return Directory.Exists(path) ? PathKind.Folder : File.Exists(path) ? PathKind.File : PathKind.Missing;
        // FileStatus is 120 bytes today; its first fields (Flags, then Mode) have not moved since .NET Core 2.
        var status = new byte[256];
        int result;
        try { result = Stat(path, status); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Directory.Exists(path) ? PathKind.Folder : File.Exists(path) ? PathKind.File : PathKind.Missing;
        }
        if (result != 0) return PathKind.Missing;
        return (BitConverter.ToInt32(status, 4) & 0xF000) switch
        {
            0x8000 => PathKind.File,
            0x4000 => PathKind.Folder,
            0x1000 => PathKind.Fifo,
            0xC000 => PathKind.Socket,
            _ => PathKind.Device, // character and block devices
        };
    }

    /// <summary>A path that exists and is neither a regular file nor a folder: reading it could block or never end.</summary>
    public static bool IsSpecial(string path) => Of(path) is PathKind.Fifo or PathKind.Socket or PathKind.Device;

    /// <summary>"a named pipe (FIFO)": the kind in the user's words, for messages.</summary>
    public static string Words(this PathKind kind) => kind switch
    {
        PathKind.Missing => "missing",
        PathKind.File => "a file",
        PathKind.Folder => "a folder",
        PathKind.Fifo => "a named pipe (FIFO)",
        PathKind.Socket => "a socket",
        _ => "a device",
    };

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi, SetLastError = true)]
    private static extern int Stat(string path, byte[] status);
}

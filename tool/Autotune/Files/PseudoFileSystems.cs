namespace Autotune.Files;

/// <summary>
/// The mounts of kernel state rather than files (/proc, /sys, /dev and their kin): walking one never ends usefully
/// (/proc/self/root leads back to /, /sys holds hundreds of thousands of entries), and no model lives there.
/// Read from /proc/self/mountinfo; on a system without it nothing is known to be pseudo.
/// </summary>
public sealed class PseudoFileSystems
{
    private static readonly HashSet<string> Types = new(StringComparer.Ordinal)
    {
        "proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "debugfs", "tracefs", "securityfs", "bpf", "configfs",
        "fusectl", "mqueue", "pstore", "binfmt_misc", "hugetlbfs", "autofs", "efivarfs", "selinuxfs", "rpc_pipefs", "nsfs",
    };

    private readonly List<(string MountPoint, string Type)> mounts;

    private PseudoFileSystems(List<(string, string)> mounts) => this.mounts = mounts;

    public static PseudoFileSystems Read(string mountInfo = "/proc/self/mountinfo")
    {
        var mounts = new List<(string, string)>();
        try
        {
            // "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw": the 5th field, and the one after "-".
            foreach (var line in File.ReadLines(mountInfo))
            {
                var fields = line.Split(' ');
                var dash = Array.IndexOf(fields, "-");
                if (fields.Length < 5 || dash < 0 || dash + 1 >= fields.Length) continue;
                mounts.Add((Unescape(fields[4]), fields[dash + 1]));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return new PseudoFileSystems(mounts);
    }

    /// <summary>The pseudo file system type ("proc") of the mount that holds <paramref name="realPath"/> (links already followed); null for a real one.</summary>
    public string? TypeAt(string realPath)
    {
        string? best = null, type = null;
        foreach (var (mountPoint, t) in mounts)
            if (Holds(mountPoint, realPath) && (best is null || mountPoint.Length >= best.Length)) (best, type) = (mountPoint, t);
        return type is not null && Types.Contains(type) ? type : null;
    }

    private static bool Holds(string mountPoint, string path) =>
        mountPoint == "/" || path == mountPoint || path.StartsWith(mountPoint + "/", StringComparison.Ordinal);

    /// <summary>mountinfo writes a space as \040, a tab \011, a line break \012 and a backslash \134.</summary>
    private static string Unescape(string field) =>
        System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
}

using Autotune.Cli;

namespace Autotune.Train.Docker;

/// <summary>
/// A host folder the trial container also sees, such as a data set cache: `--mount HOST[:CONTAINER][:ro|rw]`,
/// read-only unless `rw` is asked for. Without CONTAINER it appears at its host path, so a path the
/// program reads from its environment means the same on both sides.
/// </summary>
public sealed record DataMount(string Host, string Container, bool ReadOnly)
{
    /// <param name="baseFolder">What a relative HOST is relative to (the model folder); a leading ~ is the caller's home.</param>
    public static DataMount Parse(string spec, string baseFolder)
    {
        var parts = spec.Split(':');
        var readOnly = true;
        if (parts.Length > 1 && parts[^1] is "ro" or "rw")
        {
            readOnly = parts[^1] == "ro";
            parts = parts[..^1];
        }
        if (parts.Length is 0 or > 2 || parts.Any(string.IsNullOrWhiteSpace))
            throw AutotuneException.Invalid($"--mount '{spec}' is not HOST[:CONTAINER][:ro|rw]: pass a folder such as ~/.cache/data:/data");
        var host = parts[0].StartsWith('~')
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + parts[0][1..]
            : parts[0];
        host = Path.GetFullPath(host, Path.GetFullPath(baseFolder));
        if (!Directory.Exists(host) && !File.Exists(host))
            throw AutotuneException.Invalid($"--mount '{spec}': {host} does not exist on this machine");
        var container = parts.Length == 2 ? parts[1] : host;
        if (!container.StartsWith('/'))
            throw AutotuneException.Invalid($"--mount '{spec}': the path inside the container, {container}, must be absolute");
        return new DataMount(host, container.Length > 1 ? container.TrimEnd('/') : container, readOnly);
    }

    public override string ToString() => $"{Host}:{Container}:{(ReadOnly ? "ro" : "rw")}";
}

using System.Globalization;
using System.Text.RegularExpressions;
using Autotune.Cli;
using Docker.DotNet.Models;

namespace Autotune.Train.Docker;

/// <summary>
/// Everything one trial container is made of, immutable and validated before any call to the engine:
/// the program folder mounted read-only, the model's source read-only and the trial folder read-write,
/// both at the same path as on the host (so AUTOTUNE_TRIAL_DIR, and every path the program reads from its
/// project or writes, mean the same on both sides; the trial folder may lie inside the source's .autotune),
/// a non-root user, no privileges or capabilities, no network unless asked, limits when set, labels.
/// </summary>
public sealed partial record TrialContainer(
    string Image,
    string ProgramFolder,
    string ProgramAssembly,
    string TrialFolder,
    IReadOnlyDictionary<string, string> Environment,
    string User,
    IReadOnlyDictionary<string, string> Labels,
    GpuRequest Gpus,
    long? MemoryBytes = null,
    double? Cpus = null,
    string Network = "none",
    string? SourceFolder = null,
    IReadOnlyList<DataMount>? DataMounts = null)
{
    /// <summary>Where the program folder appears inside the container.</summary>
    public const string ProgramMount = "/autotune/program";
    /// <summary>The smallest memory limit the engine accepts.</summary>
    public const long MinimumMemory = 6 * 1024 * 1024;

    public static class Label
    {
        public const string Managed = "autotune.managed";
        public const string Study = "autotune.study";
        public const string Trial = "autotune.trial";
        public const string TrialFolder = "autotune.trial-dir";
        public const string Attempt = "autotune.attempt";
        public const string Source = "autotune.source";
        public const string Store = "autotune.store";
    }

    /// <summary>Throws exit 2 with the first thing wrong; returns the spec for chaining.</summary>
    public TrialContainer Validate()
    {
        if (string.IsNullOrWhiteSpace(Image) || Image.Any(char.IsWhiteSpace))
            throw AutotuneException.Invalid($"--image '{Image}' is not an image reference: pass a name such as autotune/torchsharp-cpu:abc123");
        Absolute(ProgramFolder, "program folder");
        Absolute(TrialFolder, "trial folder");
        if (!Directory.Exists(ProgramFolder)) throw AutotuneException.Invalid($"program folder {ProgramFolder} does not exist: build the model first");
        if (!Directory.Exists(TrialFolder)) throw AutotuneException.Invalid($"trial folder {TrialFolder} does not exist");
        if (SourceFolder is not null)
        {
            Absolute(SourceFolder, "source folder");
            if (!Directory.Exists(SourceFolder)) throw AutotuneException.Invalid($"source folder {SourceFolder} does not exist");
            if (IsInside(SourceFolder, TrialFolder) || SameFolder(SourceFolder, TrialFolder))
                throw AutotuneException.Invalid($"source folder {SourceFolder} lies inside the trial folder {TrialFolder}: the read-only source would hide the trial's writes");
        }
        foreach (var d in DataMounts ?? [])
        {
            var reserved = new[] { ProgramMount, Path.GetFullPath(TrialFolder).TrimEnd('/'), SourceFolder is null ? null : Path.GetFullPath(SourceFolder).TrimEnd('/') };
            if (reserved.Any(r => r is not null && (d.Container == r || d.Container.StartsWith(r + "/", StringComparison.Ordinal) || r.StartsWith(d.Container.TrimEnd('/') + "/", StringComparison.Ordinal))))
                throw AutotuneException.Invalid($"--mount {d}: {d.Container} overlaps the program, source or trial folder the runner mounts: pick another path inside the container");
        }
        if (Path.GetDirectoryName(Path.GetFullPath(ProgramAssembly)) != Path.GetFullPath(ProgramFolder).TrimEnd('/'))
            throw AutotuneException.Invalid($"{ProgramAssembly} is not directly inside the program folder {ProgramFolder}");
        if (IsRoot(User))
            throw AutotuneException.Invalid($"container user '{User}' is root: training containers run as a non-root uid:gid");
        if (!UserForm().IsMatch(User))
            throw AutotuneException.Invalid($"container user '{User}' is not uid:gid (numbers, such as 1000:1000)");
        if (MemoryBytes is { } m && m < MinimumMemory)
            throw AutotuneException.Invalid($"--memory {m} bytes is below the engine's minimum of 6 MiB");
        if (Cpus is { } c && (!double.IsFinite(c) || c <= 0))
            throw AutotuneException.Invalid($"--cpus {c.ToString(CultureInfo.InvariantCulture)} must be a positive number");
        if (Network is "host" || Network.StartsWith("container:", StringComparison.Ordinal))
            throw AutotuneException.Invalid($"--network {Network} would share the host's or another container's network: use none (default), bridge, or a named network");
        if (!NetworkForm().IsMatch(Network))
            throw AutotuneException.Invalid($"--network '{Network}' is not a network name");
        foreach (var key in new[] { Label.Managed, Label.Study, Label.Trial })
            if (!Labels.ContainsKey(key)) throw new InvalidOperationException($"container spec lacks the label {key}"); // a bug, not user input
        return this;
    }

    public CreateContainerParameters ToParameters() => new()
    {
        Image = Image,
        User = User,
        Cmd = ["dotnet", ProgramMount + "/" + Path.GetFileName(ProgramAssembly)],
        WorkingDir = ProgramMount,
        Env = Environment.Select(kv => kv.Key + "=" + kv.Value).Order(StringComparer.Ordinal).ToList(),
        Labels = new Dictionary<string, string>(Labels),
        NetworkDisabled = Network == "none",
        HostConfig = new HostConfig
        {
            Mounts = Mounts(),
            // The image itself stays read-only; the runtime only needs a private /tmp.
            ReadonlyRootfs = true,
            Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,nosuid,nodev,size=256m" },
            NetworkMode = Network,
            Privileged = false,
            CapDrop = ["ALL"],
            SecurityOpt = ["no-new-privileges"],
            Memory = MemoryBytes ?? 0,
            // Equal to Memory: no swap, so a limit is a limit and an overrun is an OOM kill, not a crawl.
            MemorySwap = MemoryBytes ?? 0,
            NanoCPUs = Cpus is { } c ? (long)Math.Round(c * 1e9) : 0,
            DeviceRequests = Gpus.ToDeviceRequests(),
        },
    };

    /// <summary>Program and source read-only, the trial folder read-write; the engine mounts a folder nested in another after it.</summary>
    private List<Mount> Mounts()
    {
        var mounts = new List<Mount> { new() { Type = "bind", Source = Path.GetFullPath(ProgramFolder), Target = ProgramMount, ReadOnly = true } };
        if (SourceFolder is not null)
            mounts.Add(new Mount { Type = "bind", Source = Path.GetFullPath(SourceFolder), Target = Path.GetFullPath(SourceFolder), ReadOnly = true });
        mounts.Add(new Mount { Type = "bind", Source = Path.GetFullPath(TrialFolder), Target = Path.GetFullPath(TrialFolder), ReadOnly = false });
        mounts.AddRange((DataMounts ?? []).Select(d => new Mount { Type = "bind", Source = d.Host, Target = d.Container, ReadOnly = d.ReadOnly }));
        return mounts;
    }

    private static bool SameFolder(string a, string b) => Path.GetFullPath(a).TrimEnd('/') == Path.GetFullPath(b).TrimEnd('/');

    /// <summary>True when <paramref name="inner"/> lies strictly inside <paramref name="outer"/>.</summary>
    private static bool IsInside(string inner, string outer) =>
        Path.GetFullPath(inner).StartsWith(Path.GetFullPath(outer).TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>The same container without its GPU request, on another image (the CPU fallback).</summary>
    public TrialContainer WithoutGpus(string image) => this with
    {
        Image = image,
        Gpus = GpuRequest.None,
        Environment = new Dictionary<string, string>(Environment) { [TrialEnvironment.Device] = "cpu" },
    };

    private static bool IsRoot(string user)
    {
        var name = user.Split(':')[0];
        return name is "0" or "root" or "";
    }

    private static void Absolute(string path, string what)
    {
        if (!Path.IsPathRooted(path)) throw AutotuneException.Invalid($"{what} {path} must be an absolute path");
    }

    [GeneratedRegex(@"^\d+(:\d+)?$")] private static partial Regex UserForm();
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]*$")] private static partial Regex NetworkForm();
}

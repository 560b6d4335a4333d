using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Autotune.Detect;

/// <summary>
/// The versions a runtime image has to match. <see cref="DotNet"/> is the .NET version of the
/// project's TargetFramework. <see cref="Packages"/> holds the versions of its framework packages:
/// the PackageReference's Version, or the central PackageVersion of a Directory.Packages.props above
/// the project. Both are read from the project files, never by building. A value that is not a plain
/// version (an MSBuild property, say) is left out, so nothing from a project file reaches a Dockerfile unchecked.
/// </summary>
public sealed partial record RuntimeVersions(string? DotNet, IReadOnlyDictionary<string, string> Packages)
{
    public static readonly RuntimeVersions Unknown = new(null, new Dictionary<string, string>());

    /// <summary>The CUDA version of a libtorch-cuda-12.1-linux-x64 package ("12.1"), when the model has one.</summary>
    public string? Cuda => Packages.Keys.Select(id => CudaPackage().Match(id)).FirstOrDefault(m => m.Success)?.Groups["cuda"].Value;

    public static RuntimeVersions Read(string modelDir)
    {
        if (!Directory.Exists(modelDir)) return Unknown;
        string? dotnet = null;
        var wanted = new List<(string Id, string? Version)>();
        foreach (var project in Directory.GetFiles(modelDir, "*.csproj").Order(StringComparer.Ordinal))
        {
            if (Load(project) is not { } doc) continue;
            dotnet ??= TargetVersion(doc);
            foreach (var e in doc.Descendants().Where(e => e.Name.LocalName == "PackageReference"))
                if ((string?)e.Attribute("Include") is { } id && FrameworkReader.ClassifyPackage(id).Framework is not null)
                    wanted.Add((id, (string?)e.Attribute("Version") ?? (string?)e.Attribute("VersionOverride") ?? e.Elements().FirstOrDefault(c => c.Name.LocalName == "Version")?.Value));
        }
        // What the project leaves out comes from the nearest Directory.Build.props / Directory.Packages.props above it.
        var central = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var dir = new DirectoryInfo(modelDir); dir is not null; dir = dir.Parent)
        {
            if (dotnet is null && Load(Path.Combine(dir.FullName, "Directory.Build.props")) is { } props) dotnet = TargetVersion(props);
            if (central.Count == 0 && Load(Path.Combine(dir.FullName, "Directory.Packages.props")) is { } packages)
                foreach (var e in packages.Descendants().Where(e => e.Name.LocalName == "PackageVersion"))
                    if ((string?)e.Attribute("Include") is { } id && (string?)e.Attribute("Version") is { } v) central.TryAdd(id, v);
        }
        var versions = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, version) in wanted)
            if ((version ?? central.GetValueOrDefault(id)) is { } v && PlainVersion().IsMatch(v) && PackageId().IsMatch(id))
                versions[id] = v;
        return new RuntimeVersions(dotnet, versions);
    }

    /// <summary>"10.0" from net10.0 (the first of TargetFrameworks); null when the project names none or another kind.</summary>
    private static string? TargetVersion(XDocument doc)
    {
        var text = doc.Descendants().FirstOrDefault(e => e.Name.LocalName is "TargetFramework" or "TargetFrameworks")?.Value;
        var m = text is null ? null : TargetFramework().Match(text.Split(';')[0].Trim());
        return m is { Success: true } ? m.Groups["version"].Value : null;
    }

    private static XDocument? Load(string path)
    {
        if (Files.PathKinds.Of(path) != Files.PathKind.File) return null; // a FIFO would block the read
        try { return XDocument.Load(path); }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException) { return null; } // detect warns about the model's own project files
    }

    [GeneratedRegex(@"^net(?<version>\d+\.\d+)(-[a-z]+[\d.]*)?$")] private static partial Regex TargetFramework();
    [GeneratedRegex(@"^[0-9][0-9A-Za-z.+-]{0,63}$")] private static partial Regex PlainVersion();
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")] private static partial Regex PackageId();
    [GeneratedRegex(@"^libtorch-cuda-(?<cuda>\d+\.\d+)-", RegexOptions.IgnoreCase)] private static partial Regex CudaPackage();
}

using System.Reflection;
using System.Text.RegularExpressions;
using Autotune.Cli;
using Scriban;
using Scriban.Runtime;

namespace Autotune.Images;

/// <summary>What a runtime image is rendered from: the template's variables, each validated as a plain token.</summary>
/// <param name="Versions">What the model's project needs (detect's profile): labelled on the image, so an image for other versions has another content tag.</param>
public sealed record ImageVariables(string BaseImage, IReadOnlyList<string> Packages, uint Uid = 1000, uint Gid = 1000, int Threads = 0,
    Detect.RuntimeVersions? Versions = null);

/// <summary>
/// One Dockerfile template of templates/images (embedded in the tool), rendered with Scriban.
/// Values are checked before they reach the text, so no value can add a line to the Dockerfile.
/// </summary>
public sealed partial class ImageTemplate
{
    /// <summary>The production base: a public .NET runtime image (the program arrives built).</summary>
    public const string DefaultBase = "mcr.microsoft.com/dotnet/runtime:10.0";

    /// <summary>The production base for a model: the .NET runtime of its TargetFramework (10.0 when detect found none).</summary>
    public static string DefaultBaseFor(Detect.RuntimeVersions versions) =>
        versions.DotNet is { } v ? $"mcr.microsoft.com/dotnet/runtime:{v}" : DefaultBase;
    private const string ResourcePrefix = "images/";
    private const string Suffix = ".Dockerfile.sbn";

    public string Name { get; }
    public string Source { get; }
    /// <summary>The Debian packages the framework's natives load from the system.</summary>
    public IReadOnlyList<string> DefaultPackages => Name is "torchsharp-cpu" or "torchsharp-cuda" or "mlnet" ? ["libgomp1"] : [];

    private ImageTemplate(string name, string source) { Name = name; Source = source; }

    public static IReadOnlyList<string> Names =>
        typeof(ImageTemplate).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(Suffix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..^Suffix.Length]).Order(StringComparer.Ordinal).ToList();

    public static ImageTemplate Load(string name)
    {
        using var stream = typeof(ImageTemplate).Assembly.GetManifestResourceStream(ResourcePrefix + name + Suffix)
            ?? throw AutotuneException.Invalid($"--template '{name}' is not an image template: use one of {string.Join(", ", Names)}");
        using var reader = new StreamReader(stream);
        return new ImageTemplate(name, reader.ReadToEnd());
    }

    public string Render(ImageVariables v)
    {
        if (!ImageReference().IsMatch(v.BaseImage))
            throw AutotuneException.Invalid($"--base '{v.BaseImage}' is not an image reference (name[:tag][@digest])");
        foreach (var p in v.Packages)
            if (!PackageName().IsMatch(p)) throw AutotuneException.Invalid($"package '{p}' is not a Debian package name");
        if (v.Uid == 0) throw AutotuneException.Invalid("runtime images run as a non-root user: uid 0 is not allowed");

        var template = Template.Parse(Source, Name + Suffix);
        if (template.HasErrors) throw new InvalidOperationException($"template {Name}: {string.Join("; ", template.Messages)}"); // shipped broken: a bug
        var globals = new ScriptObject
        {
            ["template"] = Name,
            ["base_image"] = v.BaseImage,
            ["packages"] = v.Packages.ToArray(),
            ["uid"] = v.Uid,
            ["gid"] = v.Gid,
            ["threads"] = v.Threads > 0 ? v.Threads : Environment.ProcessorCount,
            ["dotnet_version"] = v.Versions?.DotNet,
            ["cuda_version"] = v.Versions?.Cuda,
            // RuntimeVersions keeps only plain versions and package ids, so these cannot break out of the LABEL line.
            ["version_labels"] = VersionLabels(v.Versions).ToArray(),
        };
        var context = new TemplateContext { StrictVariables = true };
        context.PushGlobal(globals);
        return template.Render(context);
    }

    private static IEnumerable<string> VersionLabels(Detect.RuntimeVersions? versions)
    {
        if (versions is null) yield break;
        if (versions.DotNet is { } dotnet) yield return $"autotune.dotnet=\"{dotnet}\"";
        foreach (var (id, version) in versions.Packages) yield return $"autotune.package.{id.ToLowerInvariant()}=\"{version}\"";
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._/:@-]*$")] private static partial Regex ImageReference();
    [GeneratedRegex(@"^[a-z0-9][a-z0-9.+-]*$")] private static partial Regex PackageName();
}

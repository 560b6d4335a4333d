using System.Xml.Linq;
using Autotune.Train;

namespace Autotune.Images;

/// <summary>
/// Which runtime image a model project needs, from the packages its project file references.
/// A stand-in until Detect's ModelProfile picks the image from the catalogue.
/// </summary>
public static class TemplateChoice
{
    public static string ForProject(ModelProject project)
    {
        var packages = XDocument.Load(project.ProjectFile).Descendants()
            .Where(e => e.Name.LocalName == "PackageReference")
            .Select(e => (string?)e.Attribute("Include") ?? "").ToList();
        if (packages.Any(p => p.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase) || p.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase)))
            return packages.Any(p => p.Contains("cuda", StringComparison.OrdinalIgnoreCase)) ? "torchsharp-cuda" : "torchsharp-cpu";
        if (packages.Any(p => p.StartsWith("Microsoft.ML", StringComparison.OrdinalIgnoreCase))) return "mlnet";
        return "dotnet";
    }
}

using Autotune.Cli;
using Autotune.Detect;

namespace Autotune.Images;

/// <summary>The runtime image template a model trains in, and the CPU one `--gpus auto` falls back to (null: none other).</summary>
public sealed record TemplateChoice(string Template, string? CpuTemplate, string Why)
{
    /// <summary>
    /// Detect's profile picks the image from the catalogue (framework x device, autotune.images.json first),
    /// for the device the container gets: the framework's CUDA entry when it asks for GPUs, its CPU entry when not.
    /// </summary>
    public static TemplateChoice ForProfile(ModelProfile profile, bool gpusWanted)
    {
        var framework = profile.Framework.Primary;
        var catalogue = ImageCatalogue.Load(profile.ModelDir, []);
        var device = gpusWanted ? "cuda" : "cpu";
        var chosen = device == profile.Device.ImageDevice ? profile.Image : catalogue.Choose(framework, device);
        var cpu = catalogue.Choose(framework, "cpu");
        Shipped(chosen, profile);
        return new TemplateChoice(chosen.Name, gpusWanted && cpu.Name != chosen.Name ? Shipped(cpu, profile) : null,
            chosen.Evidence.File == "default catalogue" ? chosen.Evidence.Why : $"{chosen.Evidence.Why} ({chosen.Evidence.File})");
    }

    /// <summary>The GPUs a container asks for when --gpus is not given: what the code asks for (auto when it falls back to the CPU).</summary>
    public static Train.Docker.GpuRequest GpusFor(ModelProfile profile) =>
        !profile.Device.AsksForCuda ? Train.Docker.GpuRequest.None
        : Train.Docker.GpuRequest.Parse(profile.Device.FallsBackToCpu ? "auto" : "required");

    private static string Shipped(ImageChoice choice, ModelProfile profile)
    {
        if (!ImageTemplate.Names.Contains(choice.Name))
            throw AutotuneException.Invalid(
                $"{profile.ModelDir}: the image catalogue picks '{choice.Name}' ({choice.Evidence.Why}), but autotune ships no such template ({string.Join(", ", ImageTemplate.Names)}): pass --image with an image you built, or map the framework to a shipped template in {ImageCatalogue.OverrideFile}");
        return choice.Name;
    }
}

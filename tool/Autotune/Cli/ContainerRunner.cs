using Autotune.Images;
using Autotune.Train;
using Autotune.Train.Docker;

namespace Autotune.Cli;

/// <summary>Turns `--runner docker` and its options into a DockerRunner, building the project's runtime image when none is named.</summary>
public static class ContainerRunner
{
    public static async Task<DockerRunner> CreateAsync(ModelProject project, TrainCommand.ContainerOptions o, ProgressDisplay display, CancellationToken cancel)
    {
        var endpoint = DockerEndpoint.Resolve(o.DockerHost);
        var gpus = GpuRequest.Parse(o.Gpus);
        var image = o.Image;
        string? cpuImage = null;
        if (image is null)
        {
            var template = TemplateChoice.ForProject(project);
            if (gpus.Wanted && template == "torchsharp-cpu") template = "torchsharp-cuda";
            image = await EnsureImageAsync(endpoint, template, display, cancel);
            // --gpus auto on an engine without GPUs falls back to the CPU build of the same framework.
            if (template == "torchsharp-cuda" && gpus.Policy == GpuPolicy.FallBackToCpu)
                cpuImage = await EnsureImageAsync(endpoint, "torchsharp-cpu", display, cancel);
        }
        display.Note($"docker runner: image {image} on {endpoint.Uri}, gpus {gpus}, network {o.Network}");
        return new DockerRunner(new DockerRunnerOptions(endpoint, image, project.Name, gpus, cpuImage,
            o.Memory is { } m ? MemorySize.Parse(m) : null, o.Cpus, o.Network));
    }

    private static async Task<string> EnsureImageAsync(DockerEndpoint endpoint, string templateName, ProgressDisplay display, CancellationToken cancel)
    {
        var template = ImageTemplate.Load(templateName);
        var dockerfile = template.Render(new ImageVariables(ImageTemplate.DefaultBase, template.DefaultPackages));
        using var client = endpoint.Connect();
        await endpoint.EnsureReachableAsync(client, cancel);
        var image = await ImageBuilder.EnsureAsync(client, endpoint.Uri, templateName, dockerfile, _ => { }, cancel);
        display.Note(image.Built ? $"built image {image.Tag} in {image.Elapsed.TotalSeconds:F1} s" : $"image {image.Tag} is up to date");
        return image.Tag;
    }
}

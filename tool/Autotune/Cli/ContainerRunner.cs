using System.CommandLine;
using Autotune.Detect;
using Autotune.Images;
using Autotune.Train;
using Autotune.Train.Docker;

namespace Autotune.Cli;

/// <summary>`--runner docker` and its settings, after flags and autotune.json were merged.</summary>
public sealed record ContainerOptions(string? DockerHost, string? Image, string? Gpus, string? Memory, double? Cpus, string Network, string? ImageBase = null,
    IReadOnlyList<string>? Mounts = null, IReadOnlyList<string>? Environment = null);

/// <summary>
/// `--runner` and the container options, defined once so `train` and `run` read them the same way.
/// None has a parse-time default: `run` lets autotune.json fill what the flags leave out.
/// </summary>
public sealed partial class RunnerFlags
{
    public Option<string?> Runner { get; } = new("--runner") { Description = "process (a local child process, the default) or docker (a container through the Engine API)" };
    public Option<string?> DockerHost { get; } = new("--docker-host") { Description = "Docker engine endpoint (default: DOCKER_HOST, else unix:///var/run/docker.sock)" };
    public Option<string?> Image { get; } = new("--image") { Description = "Runtime image for --runner docker (default: the one detect's profile picks, built from its template if missing)" };
    public Option<string?> Gpus { get; } = new("--gpus") { Description = "none, auto (GPUs if the engine has the NVIDIA runtime, else CPU), required, all, a count, or device=ID,... (default: what detect's profile asks for: auto when the code takes CUDA with a CPU fallback, required without one, else none)" };
    public Option<string?> Memory { get; } = new("--memory") { Description = "Container memory limit, such as 4g (no swap beyond it)" };
    public Option<double?> Cpus { get; } = new("--cpus") { Description = "Container CPU limit, such as 1.5" };
    public Option<string?> Network { get; } = new("--network") { Description = "Container network: none (default), bridge, or a named network" };
    public Option<string[]> Mount { get; } = new("--mount") { Description = "HOST[:CONTAINER][:ro|rw]: a folder the container also sees, such as a data set cache (read-only unless rw; repeatable)" };
    public Option<string[]> Env { get; } = new("--env") { Description = "NAME=VALUE, or NAME for this shell's value: a variable the container gets (repeatable; a container inherits nothing)" };
    public Option<string?> ImageBase { get; } = new("--image-base") { Description = $"Base image the runtime image is built FROM when --image is not given, as `image build --base` (default {ImageTemplate.DefaultBase})" };

    public RunnerFlags()
    {
        Runner.AcceptOnlyFromAmong("process", "docker");
        Gpus.Validators.Add(r => { try { GpuRequest.Parse(r.GetValueOrDefault<string?>()); } catch (AutotuneException e) { r.AddError(e.Message); } });
        Memory.Validators.Add(r => { try { if (r.GetValueOrDefault<string?>() is { } m) MemorySize.Parse(m); } catch (AutotuneException e) { r.AddError(e.Message); } });
        Cpus.Validators.Add(r => { if (r.GetValueOrDefault<double?>() is <= 0) r.AddError("--cpus must be a positive number"); });
    }

    /// <summary>Docker's reference grammar, loosely: no '..', no empty path part, at most 255 characters.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?!.*\.\.)(?!.*//)[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$")]
    private static partial System.Text.RegularExpressions.Regex ImageReference();

    private static string[]? NoneIfEmpty(string[] items) => items.Length == 0 ? null : items;

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Runner, DockerHost, Image, Gpus, Memory, Cpus, Network, ImageBase, Mount, Env }) command.Options.Add(o);
    }

    /// <summary>The container options (null: the process runner). Flags win over <paramref name="file"/> (autotune.json's values).</summary>
    public ContainerOptions? Read(ParseResult parse, Tune.SettingsFile? file = null)
    {
        var runner = parse.GetValue(Runner) ?? file?.Runner ?? "process";
        if (runner is not ("process" or "docker"))
            throw AutotuneException.Invalid($"runner '{runner}' in {Tune.SettingsFile.FileName} is not one of process, docker");
        if (runner == "process") return null;
        var d = file?.Docker;
        var image = parse.GetValue(Image) ?? d?.Image;
        // The name reaches the Engine API inside a URL path (/images/{name}/json): '..' or '%' there would address another endpoint.
        if (image is not null && !ImageReference().IsMatch(image))
            throw AutotuneException.Invalid(
                $"{(parse.GetValue(Image) is null ? $"{Tune.SettingsFile.FileName}: docker.image" : "--image")} '{image}' is not an image reference: pass name[:tag][@digest], such as autotune/torchsharp-cpu:abc123");
        return new ContainerOptions(
            parse.GetValue(DockerHost) ?? d?.Host,
            image,
            parse.GetValue(Gpus) ?? d?.Gpus,
            parse.GetValue(Memory) ?? d?.Memory,
            parse.GetValue(Cpus) ?? d?.Cpus,
            parse.GetValue(Network) ?? d?.Network ?? "none",
            parse.GetValue(ImageBase) ?? d?.Base,
            // autotune.json's come first: a flag adds to them.
            NoneIfEmpty([.. d?.Mounts ?? [], .. parse.GetValue(Mount) ?? []]),
            NoneIfEmpty([.. d?.Env ?? [], .. parse.GetValue(Env) ?? []]));
    }
}

/// <summary>Turns `--runner docker` and its options into a DockerRunner, building the runtime image detect's profile picks when none is named.</summary>
public static class ContainerRunner
{
    /// <param name="study">The study the containers are labelled with (train: the project's name).</param>
    /// <param name="storePath">The study store restarts are recorded in, carried as a label for `autotune monitor` (null for train).</param>
    public static async Task<DockerRunner> CreateAsync(ModelProject project, ContainerOptions o, ProgressDisplay display, CancellationToken cancel,
        string? study = null, string? storePath = null)
    {
        var endpoint = DockerEndpoint.Resolve(o.DockerHost);
        var profile = ModelDetector.Detect(project.Folder);
        var gpus = o.Gpus is { } asked ? GpuRequest.Parse(asked) : TemplateChoice.GpusFor(profile);
        var memory = o.Memory is { } m ? MemorySize.Parse(m) : (long?)null;
        var image = o.Image;
        string? cpuImage = null;
        if (image is null)
        {
            var choice = TemplateChoice.ForProfile(profile, gpus.Wanted);
            var versions = profile.Runtime;
            display.Note($"image template {choice.Template}: {choice.Why}");
            image = await EnsureImageAsync(endpoint, choice.Template, o.ImageBase, versions, display, cancel);
            // --gpus auto on an engine without GPUs falls back to the CPU image of the same framework.
            if (choice.CpuTemplate is { } cpu && gpus.Policy == GpuPolicy.FallBackToCpu)
                cpuImage = await EnsureImageAsync(endpoint, cpu, o.ImageBase, versions, display, cancel);
        }
        var mounts = (o.Mounts ?? []).Select(m => DataMount.Parse(m, project.Folder)).ToList();
        var environment = ContainerEnvironment.Parse(o.Environment ?? []);
        display.Note($"docker runner: image {image} on {endpoint.Uri}, gpus {gpus}, network {o.Network}"
            + (mounts.Count > 0 ? $", mounts {string.Join(", ", mounts)}" : ""));
        return new DockerRunner(new DockerRunnerOptions(endpoint, image, study ?? project.Name, gpus, cpuImage, memory, o.Cpus, o.Network,
            SourceFolder: project.Folder, StorePath: storePath, Mounts: mounts, Environment: environment));
    }

    /// <summary>Renders as `image build` does with the same base, so an image it built is found by its content tag, not rebuilt.</summary>
    private static async Task<string> EnsureImageAsync(DockerEndpoint endpoint, string templateName, string? baseImage, Detect.RuntimeVersions versions,
        ProgressDisplay display, CancellationToken cancel)
    {
        var template = ImageTemplate.Load(templateName);
        var dockerfile = template.Render(new ImageVariables(baseImage ?? ImageTemplate.DefaultBaseFor(versions), template.DefaultPackages, Versions: versions));
        using var client = endpoint.Connect();
        await endpoint.EnsureReachableAsync(client, cancel);
        var image = await ImageBuilder.EnsureAsync(client, endpoint.Uri, templateName, dockerfile, _ => { }, cancel);
        display.Note(image.Built ? $"built image {image.Tag} in {image.Elapsed.TotalSeconds:F1} s" : $"image {image.Tag} is up to date");
        return image.Tag;
    }
}

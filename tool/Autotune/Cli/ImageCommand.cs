using System.CommandLine;
using System.Globalization;
using Autotune.Detect;
using Autotune.Images;
using Autotune.Train;
using Autotune.Train.Docker;

namespace Autotune.Cli;

/// <summary>`autotune image build &lt;model-dir&gt;`: render the project's runtime image template and build it, tagged by content.</summary>
public static class ImageCommand
{
    public sealed record BuildOptions(string ModelDir, string? Template, string? BaseImage, string? Packages, string? DockerHost, bool DryRun);

    public static Command Create()
    {
        var modelDir = new Argument<string>("model-dir") { Description = "Folder of the model project (or its .csproj)" };
        var template = new Option<string?>("--template") { Description = $"Image template: {string.Join(", ", ImageTemplate.Names)} (default: the one detect's profile picks from the image catalogue)" };
        var baseImage = new Option<string?>("--base") { Description = $"Base image the template starts FROM (default: the .NET runtime image of the project's TargetFramework, {ImageTemplate.DefaultBase} for net10.0)" };
        var packages = new Option<string?>("--packages") { Description = "Debian packages to add, comma-separated, or none (default: what the template's framework needs)" };
        var dockerHost = new Option<string?>("--docker-host") { Description = "Docker engine endpoint (default: DOCKER_HOST, else unix:///var/run/docker.sock)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the rendered Dockerfile and its tag; build nothing" };
        var build = new Command("build", "Build the runtime image a model project trains in; an image of unchanged content is not rebuilt")
        {
            modelDir, template, baseImage, packages, dockerHost, dryRun,
        };
        build.SetAction((parse, cancel) => BuildAsync(new BuildOptions(parse.GetValue(modelDir)!, parse.GetValue(template), parse.GetValue(baseImage),
            parse.GetValue(packages), parse.GetValue(dockerHost), parse.GetValue(dryRun)), parse.InvocationConfiguration.Output, cancel));
        return new Command("image", "Runtime images for the Docker runner") { build };
    }

    public static async Task<int> BuildAsync(BuildOptions o, TextWriter output, CancellationToken cancel)
    {
        var project = ModelProject.Open(o.ModelDir);
        var profile = o.Template is null ? ModelDetector.Detect(project.Folder) : null;
        var template = ImageTemplate.Load(o.Template ?? TemplateChoice.ForProfile(profile!, TemplateChoice.GpusFor(profile!).Wanted).Template);
        var packages = o.Packages is null ? template.DefaultPackages
            : o.Packages.Trim() is "" or "none" ? []
            : o.Packages.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var versions = RuntimeVersions.Read(project.Folder);
        var dockerfile = template.Render(new ImageVariables(o.BaseImage ?? ImageTemplate.DefaultBaseFor(versions), packages, Versions: versions));
        if (o.DryRun)
        {
            output.Write(dockerfile);
            output.WriteLine(ImageBuilder.TagFor(template.Name, dockerfile));
            return ExitCodes.Success;
        }
        var endpoint = DockerEndpoint.Resolve(o.DockerHost);
        using var client = endpoint.Connect();
        await endpoint.EnsureReachableAsync(client, cancel);
        var image = await ImageBuilder.EnsureAsync(client, endpoint.Uri, template.Name, dockerfile, line => output.WriteLine("  " + line), cancel);
        output.WriteLine(image.Built
            ? string.Create(CultureInfo.InvariantCulture, $"{image.Tag} (built from template {template.Name} in {image.Elapsed.TotalSeconds:F1} s)")
            : $"{image.Tag} (unchanged, not rebuilt)");
        return ExitCodes.Success;
    }
}

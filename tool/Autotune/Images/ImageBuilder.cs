using System.Diagnostics;
using System.Formats.Tar;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Autotune.Cli;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Autotune.Images;

/// <summary>A runtime image: its tag, and whether this call built it (false: an image of the same content was there).</summary>
public sealed record RuntimeImage(string Tag, bool Built, TimeSpan Elapsed);

/// <summary>
/// Builds a rendered Dockerfile through the Engine API (the context is a tar made in memory) and tags it
/// by the hash of its content, so an unchanged image is found by its tag and never rebuilt.
/// </summary>
public static class ImageBuilder
{
    public static string TagFor(string template, string dockerfile) =>
        $"autotune/{template}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dockerfile)))[..16]}";

    public static async Task<RuntimeImage> EnsureAsync(DockerClient client, string endpoint, string template, string dockerfile,
        Action<string> onLine, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var tag = TagFor(template, dockerfile);
        try
        {
            await client.Images.InspectImageAsync(tag, cancel);
            return new RuntimeImage(tag, false, clock.Elapsed);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound) { }

        using var context = new MemoryStream();
        using (var tar = new TarWriter(context, TarEntryFormat.Pax, leaveOpen: true))
        {
            var bytes = Encoding.UTF8.GetBytes(dockerfile);
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile") { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(bytes) });
        }
        context.Position = 0;
        var errors = new List<string>();
        var log = new List<string>();
        await client.Images.BuildImageFromDockerfileAsync(
            new ImageBuildParameters { Tags = [tag], Dockerfile = "Dockerfile", Remove = true, ForceRemove = true },
            context, null, null,
            new InOrder<JSONMessage>(m =>
            {
                if (m.Error?.Message is { } error) errors.Add(error);
                else if (!string.IsNullOrEmpty(m.ErrorMessage)) errors.Add(m.ErrorMessage);
                foreach (var line in (m.Stream ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)) { log.Add(line); onLine(line); }
            }), cancel);
        // The image's presence is the truth about the build; the messages say why it failed.
        try
        {
            await client.Images.InspectImageAsync(tag, cancel);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            var why = errors.Count > 0 ? errors[^1].Trim() : "no error given";
            throw new AutotuneException(ExitCodes.Infrastructure,
                $"the Docker engine at {endpoint} could not build the {template} image: {why}; run `autotune image build <model-dir> --base IMAGE` with a base image the engine has or can pull, and pass the tag to train with --image",
                string.Join('\n', log.TakeLast(15)));
        }
        return new RuntimeImage(tag, true, clock.Elapsed);
    }

    /// <summary>Called on the reading thread, in order: Progress&lt;T&gt; would post and the last error could arrive late.</summary>
    private sealed class InOrder<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}

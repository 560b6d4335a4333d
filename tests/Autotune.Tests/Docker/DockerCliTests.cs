using Autotune.Cli;

namespace Autotune.Tests.Docker;

/// <summary>The commands end to end against the real engine: image build, then train in that image.</summary>
[Collection("Docker")]
[Trait("Category", "Docker")]
public sealed class DockerCliTests(DockerEngineFixture docker) : IDisposable
{
    private readonly string trialFolder = Path.Combine(Directory.CreateTempSubdirectory("autotune-docker-cli-").FullName, "trial");

    private static async Task<(int Code, string Out, string Err)> Autotune(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task An_image_built_from_a_template_is_tagged_by_content_not_rebuilt_when_unchanged_and_trains_the_model()
    {
        docker.SkipWhenUnavailable();
        string[] build = ["image", "build", ToyProgram.ProjectFolder, "--template", "dotnet", "--base", BaseImage.Tag, "--packages", "none", "--docker-host", docker.Endpoint];
        var first = await Autotune(build);
        first.Code.ShouldBe(0, first.Err);
        var tag = first.Out.TrimEnd().Split('\n')[^1].Split(' ')[0];
        tag.ShouldStartWith("autotune/dotnet:");
        if (first.Out.Contains("(unchanged, not rebuilt)", StringComparison.Ordinal))
        {
            // Another test of this engine built the same image first: remove it, so this build is a real one.
            using var client = new global::Docker.DotNet.DockerClientConfiguration(new Uri(docker.Endpoint)).CreateClient();
            await client.Images.DeleteImageAsync(tag, new global::Docker.DotNet.Models.ImageDeleteParameters { Force = true });
            first = await Autotune(build);
            first.Code.ShouldBe(0, first.Err);
        }
        first.Out.ShouldContain("(built from template dotnet in");

        var second = await Autotune(build);
        second.Out.Trim().ShouldBe($"{tag} (unchanged, not rebuilt)");

        var train = await Autotune("train", ToyProgram.ProjectFolder, "--trial-dir", trialFolder, "--epochs", "2", "--seed", "3",
            "--runner", "docker", "--image", tag, "--docker-host", docker.Endpoint, "--memory", "256m", "--cpus", "1");
        train.Code.ShouldBe(0, train.Err + train.Out);
        train.Out.ShouldContain("final: loss");
        train.Out.ShouldContain("after 2 epoch(s), 0 restart(s)");

        // Without --image, train renders the template detect's profile picks on the same base: the image just built, not rebuilt.
        var picked = await Autotune("train", ToyProgram.ProjectFolder, "--trial-dir", trialFolder + "-picked", "--epochs", "1",
            "--runner", "docker", "--image-base", BaseImage.Tag, "--docker-host", docker.Endpoint);
        picked.Code.ShouldBe(0, picked.Err + picked.Out);
        picked.Out.ShouldContain("image template dotnet: dotnet for none on cpu");
        picked.Out.ShouldContain($"image {tag} is up to date");
        picked.Out.ShouldContain($"docker runner: image {tag}");
    }

    [Fact]
    public async Task Train_against_an_engine_that_is_down_exits_5_with_one_line_naming_the_endpoint()
    {
        docker.SkipWhenUnavailable(); // needs the toy program built, not the engine
        var train = await Autotune("train", ToyProgram.ProjectFolder, "--trial-dir", trialFolder, "--runner", "docker",
            "--image", BaseImage.Tag, "--docker-host", "unix:///tmp/autotune-nothing/docker.sock");
        train.Code.ShouldBe(ExitCodes.Infrastructure);
        train.Err.Trim().Split('\n').Length.ShouldBe(1);
        train.Err.ShouldStartWith("autotune: Docker engine not reachable at unix:///tmp/autotune-nothing/docker.sock (--docker-host): ");
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(trialFolder)!, recursive: true);
}

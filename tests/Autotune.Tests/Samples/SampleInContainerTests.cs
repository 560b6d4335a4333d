using Autotune.Cli;
using Autotune.Tests.Docker;
using Autotune.Tests.Support;

namespace Autotune.Tests.Samples;

/// <summary>
/// The ML.NET sample in its own runtime image on a real engine: `image build` picks the mlnet template from the
/// project, and `train --runner docker` trains it there, without network, to the metric a local process gets.
/// The image starts from the local .NET base (no registry here), so the template's apt-get line is left out.
/// </summary>
[Collection("Docker")]
[Trait("Category", "Docker")]
public sealed class SampleInContainerTests(DockerEngineFixture docker) : IDisposable
{
    private string? copy;

    private static async Task<(int Code, string Out, string Err)> Autotune(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task The_tabular_sample_trains_in_the_mlnet_image_without_network_to_the_same_AUC_as_a_local_process()
    {
        docker.SkipWhenUnavailable();
        BreastCancer.Require();
        copy = BreastCancer.CopySample("docker");

        var image = await Autotune("image", "build", copy, "--base", BaseImage.Tag, "--packages", "none", "--docker-host", docker.Endpoint);
        image.Code.ShouldBe(0, image.Err + image.Out);
        var tag = image.Out.TrimEnd().Split('\n')[^1].Split(' ')[0];
        tag.ShouldStartWith("autotune/mlnet:");

        var inContainer = await Autotune("train", copy, "--trial-dir", Path.Combine(copy, ".autotune", "t-docker"), "--seed", "5",
            "--runner", "docker", "--image", tag, "--docker-host", docker.Endpoint, "--network", "none", "--memory", "1g", "--cpus", "1");
        var local = await Autotune("train", copy, "--trial-dir", Path.Combine(copy, ".autotune", "t-process"), "--seed", "5");

        inContainer.Code.ShouldBe(0, inContainer.Err + inContainer.Out);
        local.Code.ShouldBe(0, local.Err + local.Out);
        inContainer.Out.ShouldContain($"docker runner: image {tag}");
        Final(inContainer.Out).ShouldStartWith("final: auc 0.921, accuracy 0.9085, f1 0.8687 after 1 epoch(s), 0 restart(s)");
        Final(inContainer.Out).Split(';')[0].ShouldBe(Final(local.Out).Split(';')[0]);
    }

    private static string Final(string output) => output.Split('\n').Last(l => l.StartsWith("final: ", StringComparison.Ordinal)).Trim();

    public void Dispose()
    {
        if (copy is not null && Directory.Exists(copy)) Directory.Delete(copy, recursive: true);
    }
}

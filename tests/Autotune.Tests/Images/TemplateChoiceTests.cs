using Autotune.Cli;
using Autotune.Detect;
using Autotune.Images;
using Autotune.Tests.Detect;
using Autotune.Train.Docker;

namespace Autotune.Tests.Images;

/// <summary>Detect's profile picks the runtime image the Docker runner builds and trains in.</summary>
public sealed class TemplateChoiceTests
{
    private static ModelProfile Profile(string model) => ModelDetector.Detect(Fixtures.Model(model));

    [Theory]
    [InlineData("torch-cnn-using-static", "torchsharp-cpu")]
    [InlineData("mlnet-fasttree", "mlnet")]
    [InlineData("none-plain-console", "dotnet")]
    public void A_cpu_model_trains_in_the_image_its_framework_maps_to(string model, string template)
    {
        var choice = TemplateChoice.ForProfile(Profile(model), gpusWanted: false);
        choice.Template.ShouldBe(template);
        choice.CpuTemplate.ShouldBeNull();
        TemplateChoice.GpusFor(Profile(model)).ShouldBe(GpuRequest.None);
    }

    [Fact]
    public void Code_that_takes_cuda_with_a_cpu_fallback_asks_for_gpus_with_auto_and_gets_the_cuda_image_with_the_cpu_one_to_fall_back_to()
    {
        var sample = ModelDetector.Detect(Fixtures.Sample("mnist-cnn"));
        var gpus = TemplateChoice.GpusFor(sample);
        gpus.Policy.ShouldBe(GpuPolicy.FallBackToCpu);
        var choice = TemplateChoice.ForProfile(sample, gpus.Wanted);
        choice.Template.ShouldBe("torchsharp-cuda");
        choice.CpuTemplate.ShouldBe("torchsharp-cpu");
    }

    [Fact]
    public void Gpus_none_on_code_that_takes_cuda_picks_the_cpu_image() =>
        TemplateChoice.ForProfile(ModelDetector.Detect(Fixtures.Sample("mnist-cnn")), gpusWanted: false).Template.ShouldBe("torchsharp-cpu");

    [Fact]
    public void Asking_for_gpus_on_a_cpu_model_picks_its_frameworks_cuda_image() =>
        TemplateChoice.ForProfile(Profile("torch-cnn-using-static"), gpusWanted: true).Template.ShouldBe("torchsharp-cuda");

    [Fact]
    public void A_catalogue_entry_without_a_shipped_template_is_refused_with_exit_2_and_what_to_do()
    {
        var e = Should.Throw<AutotuneException>(() => TemplateChoice.ForProfile(Profile("image-override"), gpusWanted: false));
        e.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        e.Message.ShouldContain("picks 'acme-torch-cpu'");
        e.Message.ShouldContain("pass --image");
        e.Message.ShouldNotContain("\n");
    }

    [Fact]
    public async Task Image_build_renders_the_template_detects_profile_picks()
    {
        var (code, output, error) = await Fixtures.Run("image", "build", Fixtures.Model("mlnet-fasttree"), "--dry-run");
        code.ShouldBe(0, error);
        output.ShouldContain("autotune runtime image \"mlnet\"");
        output.TrimEnd().Split('\n')[^1].ShouldStartWith("autotune/mlnet:");
    }
}

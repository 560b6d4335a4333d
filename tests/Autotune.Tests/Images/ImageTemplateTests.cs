using Autotune.Cli;
using Autotune.Images;

namespace Autotune.Tests.Images;

public sealed class ImageTemplateTests
{
    [Fact]
    public void Every_catalogue_entry_has_a_template() =>
        ImageTemplate.Names.ShouldBe(["dotnet", "mlnet", "torchsharp-cpu", "torchsharp-cuda"]);

    [Theory]
    [InlineData("dotnet")]
    [InlineData("mlnet")]
    [InlineData("torchsharp-cpu")]
    [InlineData("torchsharp-cuda")]
    public void A_template_renders_its_base_its_packages_and_a_non_root_user(string name)
    {
        var text = ImageTemplate.Load(name).Render(new ImageVariables("registry.local/base:1", ["libgomp1"], 1234, 99));
        text.ShouldContain("FROM registry.local/base:1\n");
        text.ShouldContain("apt-get install -y --no-install-recommends libgomp1 ");
        text.TrimEnd().Split('\n')[^1].ShouldBe("USER 1234:99");
    }

    [Fact]
    public void Without_packages_the_image_needs_no_shell_in_its_base() =>
        ImageTemplate.Load("torchsharp-cpu").Render(new ImageVariables("b:1", [])).ShouldNotContain("\nRUN ", Case.Sensitive);

    [Theory]
    [InlineData("base:1\nRUN rm -rf /")]
    [InlineData("base:1 AS x")]
    public void A_base_that_would_add_to_the_dockerfile_is_refused(string bad) =>
        Should.Throw<AutotuneException>(() => ImageTemplate.Load("dotnet").Render(new ImageVariables(bad, []))).ExitCode.ShouldBe(ExitCodes.InvalidInput);

    [Fact]
    public void A_package_that_is_not_a_package_name_is_refused() =>
        Should.Throw<AutotuneException>(() => ImageTemplate.Load("dotnet").Render(new ImageVariables("b:1", ["x && curl evil"])));

    [Fact]
    public void The_tag_follows_the_content_only()
    {
        ImageBuilder.TagFor("dotnet", "FROM a\n").ShouldBe(ImageBuilder.TagFor("dotnet", "FROM a\n"));
        ImageBuilder.TagFor("dotnet", "FROM a\n").ShouldNotBe(ImageBuilder.TagFor("dotnet", "FROM b\n"));
        ImageBuilder.TagFor("dotnet", "FROM a\n").ShouldMatch("^autotune/dotnet:[0-9a-f]{16}$");
    }

    [Fact]
    public void An_unknown_template_lists_the_ones_there_are() =>
        Should.Throw<AutotuneException>(() => ImageTemplate.Load("tensorflow")).Message.ShouldContain("dotnet, mlnet, torchsharp-cpu, torchsharp-cuda");
}

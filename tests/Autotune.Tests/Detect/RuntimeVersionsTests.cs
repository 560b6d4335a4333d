using Autotune.Detect;
using Autotune.Images;

namespace Autotune.Tests.Detect;

/// <summary>The versions detect reads from project files, and how they reach the runtime image.</summary>
public sealed class RuntimeVersionsTests : IDisposable
{
    private readonly Fixtures.TempFolder temp = new();

    private static string Project(string targetFramework, string items) =>
        $"<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup>{targetFramework}</PropertyGroup><ItemGroup>{items}</ItemGroup></Project>";

    [Fact]
    public void Versions_written_in_the_project_are_read_and_packages_of_no_framework_are_left_out()
    {
        temp.Write("model/M.csproj", Project("<TargetFramework>net9.0</TargetFramework>",
            "<PackageReference Include=\"TorchSharp\" Version=\"0.107.0\" /><PackageReference Include=\"libtorch-cuda-12.1-linux-x64\"><Version>2.5.1</Version></PackageReference>"
            + "<PackageReference Include=\"Serilog\" Version=\"4.0.0\" />"));

        var v = RuntimeVersions.Read(Path.Combine(temp.Path, "model"));

        v.DotNet.ShouldBe("9.0");
        v.Packages.ShouldBe(new Dictionary<string, string> { ["TorchSharp"] = "0.107.0", ["libtorch-cuda-12.1-linux-x64"] = "2.5.1" }, ignoreOrder: true);
        v.Cuda.ShouldBe("12.1");
    }

    [Fact]
    public void What_the_project_leaves_out_comes_from_the_nearest_props_files_above_it()
    {
        temp.Write("Directory.Build.props", "<Project><PropertyGroup><TargetFrameworks>net8.0;net10.0</TargetFrameworks></PropertyGroup></Project>");
        temp.Write("Directory.Packages.props", "<Project><ItemGroup><PackageVersion Include=\"Microsoft.ML\" Version=\"5.0.1\" /></ItemGroup></Project>");
        temp.Write("src/model/M.csproj", Project("", "<PackageReference Include=\"Microsoft.ML\" />"));

        var v = RuntimeVersions.Read(Path.Combine(temp.Path, "src", "model"));

        v.DotNet.ShouldBe("8.0");
        v.Packages["Microsoft.ML"].ShouldBe("5.0.1");
        v.Cuda.ShouldBeNull();
    }

    [Theory]
    [InlineData("$(TorchVersion)")]
    [InlineData("1.0\" &amp;&amp; curl evil &amp;&amp; \"")]
    [InlineData("1.0&#10;RUN rm -rf /")]
    public void A_version_that_is_not_a_plain_version_is_left_out_so_it_never_reaches_a_dockerfile(string version)
    {
        temp.Write("M.csproj", Project("<TargetFramework>net10.0</TargetFramework>", $"<PackageReference Include=\"TorchSharp\" Version=\"{version}\" />"));

        RuntimeVersions.Read(temp.Path).Packages.ShouldBeEmpty();
    }

    [Fact]
    public void The_image_is_labelled_with_the_versions_and_built_from_the_runtime_of_the_target_framework()
    {
        temp.Write("M.csproj", Project("<TargetFramework>net9.0</TargetFramework>", "<PackageReference Include=\"TorchSharp\" Version=\"0.107.0\" />"));
        var v = RuntimeVersions.Read(temp.Path);
        var template = ImageTemplate.Load("torchsharp-cpu");

        var text = template.Render(new ImageVariables(ImageTemplate.DefaultBaseFor(v), [], Versions: v));

        text.ShouldContain("FROM mcr.microsoft.com/dotnet/runtime:9.0\n");
        text.ShouldContain("LABEL autotune.dotnet=\"9.0\" autotune.package.torchsharp=\"0.107.0\"\n");
        var other = v with { Packages = new Dictionary<string, string> { ["TorchSharp"] = "0.108.0" } };
        ImageBuilder.TagFor(template.Name, template.Render(new ImageVariables("b:1", [], Versions: other)))
            .ShouldNotBe(ImageBuilder.TagFor(template.Name, template.Render(new ImageVariables("b:1", [], Versions: v))));
        ImageTemplate.DefaultBaseFor(RuntimeVersions.Unknown).ShouldBe(ImageTemplate.DefaultBase);
    }

    public void Dispose() => temp.Dispose();
}

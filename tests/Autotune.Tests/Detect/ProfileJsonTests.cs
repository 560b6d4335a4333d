using System.Text.Json;
using Autotune.Detect;

namespace Autotune.Tests.Detect;

public sealed class ProfileJsonTests
{
    [Fact]
    public async Task The_json_of_a_fixture_matches_the_documented_golden_file_byte_for_byte()
    {
        var model = Fixtures.Model("torch-mlp-loop");
        var golden = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Golden", "torch-mlp-loop.detect.json"));

        var (code, output, _) = await Fixtures.Run("detect", model, "--json");

        code.ShouldBe(0);
        output.Replace(JsonEncodedText.Encode(Path.GetFullPath(model)).ToString(), "<model-dir>").ReplaceLineEndings().ShouldBe(golden.ReplaceLineEndings());
    }

    [Fact]
    public void The_schema_names_its_version_so_readers_can_refuse_another()
    {
        using var doc = JsonDocument.Parse(ProfileJson.Write(ModelDetector.Detect(Fixtures.Sample("mnist-cnn"))));

        doc.RootElement.GetProperty("schema").GetString().ShouldBe("autotune.detect/1");
        doc.RootElement.GetProperty("block").GetProperty("parameters").GetArrayLength().ShouldBe(9);
    }

    [Fact]
    public async Task Errors_still_come_with_the_json_and_exit_code_2()
    {
        using var temp = new Fixtures.TempFolder();
        temp.Write("Hyper.cs", "[Autotune.Hyperparameters] static class H { [Autotune.Range(1, 2)] public const int A = 5; }\n");

        var (code, output, error) = await Fixtures.Run("detect", temp.Path, "--json");

        code.ShouldBe(2);
        using var doc = JsonDocument.Parse(output);
        doc.RootElement.GetProperty("problems")[0].GetProperty("severity").GetString().ShouldBe("error");
        error.ShouldContain("Hyper.cs:1:");
    }

    [Fact]
    public async Task The_human_summary_names_framework_architecture_device_block_and_image()
    {
        var (code, output, _) = await Fixtures.Run("detect", Fixtures.Sample("mnist-cnn"));

        code.ShouldBe(0);
        output.ShouldContain("framework    TorchSharp");
        output.ShouldContain("architecture CNN");
        output.ShouldContain("device       CUDA, falls back to CPU");
        output.ShouldContain("block        Hyper at Hyper.cs:9, 9 parameter(s)");
        output.ShouldContain("image        torchsharp-cuda");
    }
}

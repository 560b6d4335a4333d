using Autotune.Tests.Detect;

namespace Autotune.Tests.Rewrite;

public sealed class ApplyCommandTests
{
    private static string CopyOfSample(Fixtures.TempFolder temp)
    {
        foreach (var file in Directory.GetFiles(Fixtures.Sample("mnist-cnn"), "*.cs*"))
            File.Copy(file, Path.Combine(temp.Path, Path.GetFileName(file)));
        return temp.Path;
    }

    [Fact]
    public async Task Dry_run_prints_a_unified_diff_of_the_changed_lines_and_writes_nothing()
    {
        using var temp = new Fixtures.TempFolder();
        var model = CopyOfSample(temp);
        var before = await File.ReadAllTextAsync(Path.Combine(model, "Hyper.cs"));

        var (code, output, error) = await Fixtures.Run("apply", model, "--values", "Filters=32,Pooling=avg", "--dry-run");

        code.ShouldBe(0, error);
        output.ShouldBe("""
            --- a/Hyper.cs
            +++ b/Hyper.cs
            @@ -10,9 +10,9 @@
             public static class Hyper
             {
                 [Range(1, 3)]               public const int    ConvLayers   = 1;
            -    [Choice(8, 16, 32, 64)]     public const int    Filters      = 16;
            +    [Choice(8, 16, 32, 64)]     public const int    Filters      = 32;
                 [Choice(3, 5)]              public const int    KernelSize   = 5;
            -    [Choice("max", "avg")]      public const string Pooling      = "max";
            +    [Choice("max", "avg")]      public const string Pooling      = "avg";
                 [Choice(32, 64, 128, 256)]  public const int    DenseUnits   = 128;
                 [Range(0.0, 0.5)]           public const double Dropout      = 0.25;
                 [LogRange(1e-4, 1e-2)]      public const double LearningRate = 1e-3;

            """, StringCompareShould.IgnoreLineEndings);
        (await File.ReadAllTextAsync(Path.Combine(model, "Hyper.cs"))).ShouldBe(before);
    }

    [Fact]
    public async Task Apply_writes_the_values_and_detect_then_reads_them()
    {
        using var temp = new Fixtures.TempFolder();
        var model = CopyOfSample(temp);

        var (code, _, error) = await Fixtures.Run("apply", model, "--values", "LearningRate=0.0005, Epochs=3,Dropout=0.1");

        code.ShouldBe(0, error);
        var block = Autotune.Detect.ModelDetector.Detect(model).Block!;
        block.SearchSpace["LearningRate"].Current.ShouldBe(0.0005);
        block.SearchSpace["Epochs"].Current.ShouldBe(3L);
        block.SearchSpace["Dropout"].Current.ShouldBe(0.1);
    }

    [Theory]
    [InlineData("Filters=33", "autotune: value 33 for 'Filters' is outside its declared space [Choice(8, 16, 32, 64)] (Hyper.cs:13)")]
    [InlineData("Filters=abc", "autotune: --values: 'abc' is not a int (for Filters)")]
    [InlineData("Width=3", "autotune: --values: 'Width' is not a parameter of Hyper")]
    [InlineData("Filters", "autotune: --values: 'Filters' has no '='")]
    [InlineData("Pooling=\"avg", "autotune: --values: the quoted value of 'Pooling' is not closed")]
    public async Task Bad_values_exit_2_with_one_line_and_leave_the_file_alone(string values, string message)
    {
        using var temp = new Fixtures.TempFolder();
        var model = CopyOfSample(temp);
        var before = await File.ReadAllTextAsync(Path.Combine(model, "Hyper.cs"));

        var (code, _, error) = await Fixtures.Run("apply", model, "--values", values);

        code.ShouldBe(2);
        error.Trim().ShouldStartWith(message);
        error.Trim().ShouldNotContain("\n");
        (await File.ReadAllTextAsync(Path.Combine(model, "Hyper.cs"))).ShouldBe(before);
    }

    [Fact]
    public async Task A_repository_template_in_the_model_folder_replaces_the_default()
    {
        using var temp = new Fixtures.TempFolder();
        var model = CopyOfSample(temp);
        await File.WriteAllTextAsync(Path.Combine(model, "autotune.block.scriban"),
            "{{ for a in class_attributes }}{{ a }}\n{{ end }}{{ modifiers }} class {{ name }}\n{\n{{ for p in parameters }}    {{ p.attributes }} {{ p.modifiers }} {{ p.type }} {{ p.name }} = {{ p.literal }};\n{{ end }}}\n");

        var (code, _, error) = await Fixtures.Run("apply", model, "--values", "Epochs=2");

        code.ShouldBe(0, error);
        var text = await File.ReadAllTextAsync(Path.Combine(model, "Hyper.cs"));
        text.ShouldContain("    [Range(1, 12)] public const int Epochs = 2;\n}");
        Autotune.Detect.ModelDetector.Detect(model).Block!.SearchSpace["Epochs"].Current.ShouldBe(2L);
    }
}

using System.Text;
using Autotune.Cli;
using Autotune.Detect;
using Autotune.Rewrite;
using Autotune.Search;
using Autotune.Tests.Detect;

namespace Autotune.Tests.Rewrite;

public sealed class BlockRewriterTests
{
    private static (string Source, HyperparameterBlock Block) Sample()
    {
        var block = ModelDetector.Detect(Fixtures.Sample("mnist-cnn")).Block!;
        return (File.ReadAllText(block.FullPath), block);
    }

    private static Assignment Values(params (string Name, object Value)[] values) => new(values.ToDictionary(v => v.Name, v => v.Value));

    [Fact]
    public void Rendering_the_current_values_of_the_sample_gives_back_the_file_byte_for_byte()
    {
        var (source, block) = Sample();

        BlockRewriter.Render(source, block, block.SearchSpace.Current()).ShouldBe(source);
    }

    [Fact]
    public void New_values_change_only_their_literals_in_the_sample()
    {
        var (source, block) = Sample();

        var result = BlockRewriter.Render(source, block, Values(("Filters", 32L), ("Pooling", "avg"), ("LearningRate", 0.00031), ("Dropout", 0.5)));

        var changed = source.Split('\n').Zip(result.Split('\n')).Where(p => p.First != p.Second).ToList();
        changed.Select(c => c.Second.Trim()).ShouldBe(
        [
            "[Choice(8, 16, 32, 64)]     public const int    Filters      = 32;",
            "[Choice(\"max\", \"avg\")]      public const string Pooling      = \"avg\";",
            "[Range(0.0, 0.5)]           public const double Dropout      = 0.5;",
            "[LogRange(1e-4, 1e-2)]      public const double LearningRate = 0.00031;",
        ]);
    }

    [Fact]
    public void Bom_crlf_line_endings_and_trailing_whitespace_outside_the_block_survive_a_rewrite()
    {
        using var temp = new Fixtures.TempFolder();
        var text = "// header   \r\nusing Autotune;\r\n\r\n[Hyperparameters]\r\npublic static class H\r\n{\r\n    [Range(1, 9)] public const int A = 2;\r\n}\r\n\r\nclass Use { int x = H.A; }  \t\r\n";
        var path = Path.Combine(temp.Path, "H.cs");
        File.WriteAllBytes(path, [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(text)]);
        var block = ModelDetector.Detect(temp.Path).Block!;

        BlockRewriter.ApplyToFile(block, Values(("A", 7L)));

        var bytes = File.ReadAllBytes(path);
        bytes.AsSpan(0, 3).ToArray().ShouldBe(Encoding.UTF8.Preamble.ToArray());
        Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).ShouldBe(text.Replace("[Range(1, 9)] public const int A = 2;", "[Range(1, 9)]  public const int A = 7;"));
        Directory.GetFiles(temp.Path, "*.tmp").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("ConvLayers", 4L, "value 4 for 'ConvLayers' is outside its declared space [Range(1, 3)] (Hyper.cs:12)")]
    [InlineData("Filters", 24L, "value 24 for 'Filters' is outside its declared space")]
    [InlineData("LearningRate", 0.5, "value 0.5 for 'LearningRate' is outside its declared space")]
    [InlineData("Pooling", "min", "value \"min\" for 'Pooling' is outside its declared space")]
    [InlineData("Dropout", double.NaN, "value NaN for 'Dropout' is not a finite double")]
    [InlineData("Epochs", "6", "value \"6\" for 'Epochs' is not an integer that fits in int")]
    [InlineData("Nope", 1L, "'Nope' is not a parameter of Hyper")]
    public void Values_outside_their_space_or_type_are_refused_and_nothing_is_rendered(string name, object value, string message)
    {
        var (source, block) = Sample();

        var e = Should.Throw<AutotuneException>(() => BlockRewriter.Render(source, block, Values((name, value))));

        e.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        e.Message.ShouldStartWith(message);
    }

    [Fact]
    public void A_stale_block_location_is_refused()
    {
        var (source, block) = Sample();

        Should.Throw<AutotuneException>(() => BlockRewriter.Render("// moved\n" + source, block, block.SearchSpace.Current()))
            .Message.ShouldContain("no longer where detect found it");
    }
}

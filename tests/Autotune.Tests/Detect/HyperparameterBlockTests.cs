using Autotune.Detect;
using Autotune.Search;

namespace Autotune.Tests.Detect;

public sealed class HyperparameterBlockTests
{
    [Fact]
    public void The_samples_block_yields_its_nine_parameters_with_their_declared_domains()
    {
        var profile = ModelDetector.Detect(Fixtures.Sample("mnist-cnn"));

        profile.Errors.ShouldBeEmpty();
        var space = profile.Block!.SearchSpace;
        space.ShouldBe(new SearchSpace(
        [
            new Parameter("ConvLayers", "int", new IntRange(1, 3), 1L),
            new Parameter("Filters", "int", new Choice([8L, 16L, 32L, 64L]), 16L),
            new Parameter("KernelSize", "int", new Choice([3L, 5L]), 5L),
            new Parameter("Pooling", "string", new Choice(["max", "avg"]), "max"),
            new Parameter("DenseUnits", "int", new Choice([32L, 64L, 128L, 256L]), 128L),
            new Parameter("Dropout", "double", new RealRange(0.0, 0.5), 0.25),
            new Parameter("LearningRate", "double", new RealRange(1e-4, 1e-2, Log: true), 1e-3),
            new Parameter("BatchSize", "int", new Choice([32L, 64L, 128L, 256L]), 64L),
            new Parameter("Epochs", "int", new IntRange(1, 12), 3L),
        ]));
        profile.Block.Parameters.ShouldAllBe(p => p.IsUsed);
    }

    [Fact]
    public void The_block_span_covers_the_class_declaration_from_its_attribute_to_its_closing_brace()
    {
        var profile = ModelDetector.Detect(Fixtures.Sample("mnist-cnn"));
        var block = profile.Block!;
        var text = File.ReadAllText(Path.Combine(Fixtures.Sample("mnist-cnn"), block.File));

        var span = text.Substring(block.SpanStart, block.SpanLength);

        span.ShouldStartWith("[Hyperparameters]");
        span.ShouldEndWith("}");
        span.ShouldContain("public static class Hyper");
        block.Line.ShouldBe(9);
        block.Parameters[0].Line.ShouldBe(12);
    }

    [Fact]
    public void Every_supported_type_is_read_with_its_value_and_domain()
    {
        var block = ModelDetector.Detect(Fixtures.Model("static-main-typed-block")).Block!;

        block.SearchSpace.Parameters.ShouldBe(
        [
            new Parameter("Channels", "int", new Choice([16L, 32L, 64L]), 32L),
            new Parameter("Kernel", "short", new Choice([3L, 5L, 7L]), 3L),
            new Parameter("Pool", "Pooling", new Choice(["Max", "Average"]), "Max"),
            new Parameter("DropRate", "float", new RealRange(0.0, 0.5), 0.25),
            new Parameter("Steps", "long", new IntRange(100, 100000, Log: true), 1000L),
            new Parameter("Augment", "bool", new Choice([true, false]), false),
            new Parameter("Name", "string", new Choice(["run-a", "run \"b\""]), "run-a"),
        ]);
    }

    [Fact]
    public void A_bare_name_under_using_static_counts_as_a_use_of_the_parameter()
    {
        var block = ModelDetector.Detect(Fixtures.Model("static-main-typed-block")).Block!;

        block.Parameters.ShouldAllBe(p => p.IsUsed);
        block.Parameters.Single(p => p.Name == "Channels").FirstUse!.File.ShouldBe("Cnn.cs");
    }

    [Fact]
    public void A_parameter_nobody_reads_is_reported_as_a_warning_at_its_line()
    {
        var profile = ModelDetector.Detect(Fixtures.Model("torch-mlp-loop"));

        profile.Errors.ShouldBeEmpty();
        var warning = profile.Warnings.ShouldHaveSingleItem();
        warning.ToString().ShouldBe("Program.cs:20: parameter 'Shuffle' is not used anywhere else in the code: tuning it changes nothing; use Mlp.Shuffle in the model or remove it");
        profile.Block!.Parameters.Single(p => p.Name == "Shuffle").IsUsed.ShouldBeFalse();
    }

    [Fact]
    public void An_integer_range_keeps_its_step()
    {
        var block = ModelDetector.Detect(Fixtures.Model("torch-mlp-loop")).Block!;

        block.SearchSpace["Units"].Domain.ShouldBe(new IntRange(16, 512, Step: 16));
    }
}

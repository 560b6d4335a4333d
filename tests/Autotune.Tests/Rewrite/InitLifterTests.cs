using System.Text;
using Autotune.Detect;
using Autotune.Rewrite.Init;
using Autotune.Search;
using Autotune.Tests.Detect;

namespace Autotune.Tests.Rewrite;

public sealed class InitLifterTests
{
    private static (Fixtures.TempFolder Temp, string Model) Copy(string fixture)
    {
        var temp = new Fixtures.TempFolder();
        return (temp, temp.CopyFrom(InitFixtures.Model(fixture)));
    }

    [Fact]
    public void The_sample_without_its_block_lifts_to_its_nine_hyperparameters_named_by_its_own_parameters()
    {
        using var temp = new Fixtures.TempFolder();
        InitFixtures.WriteSampleWithoutBlock(temp.Path);

        var plan = InitLifter.Lift(temp.Path);

        plan.Parameters.Select(p => p.Name).ShouldBe(["ConvLayers", "Filters", "KernelSize", "Pooling", "DenseUnits", "Dropout", "LearningRate", "Epochs", "BatchSize"]);
        plan.SearchSpace.Current().ToString().ShouldBe("ConvLayers=2, Filters=16, KernelSize=5, Pooling=max, DenseUnits=128, Dropout=0.25, LearningRate=0.001, Epochs=3, BatchSize=64");
        plan.SearchSpace["Pooling"].Domain.ShouldBe(new Choice(["max", "avg"]));
        plan.SearchSpace["LearningRate"].Domain.ShouldBe(new RealRange(1e-5, 1e-1, Log: true));
        plan.UsesSdk.ShouldBeTrue();
    }

    [Theory]
    [InlineData("torch-mlp-plain")]
    [InlineData("torch-cnn-plain")]
    public void Lifted_torch_models_compile_with_no_error(string fixture)
    {
        var (temp, model) = Copy(fixture);
        using var _ = temp;
        InitFixtures.CompileErrors(model).ShouldBeEmpty();

        InitLifter.Apply(InitLifter.Lift(model), model);

        InitFixtures.CompileErrors(model).ShouldBeEmpty();
    }

    [Fact]
    public void The_lifted_fasttree_model_compiles_with_no_error_the_original_did_not_have()
    {
        // ML.NET is not restored here, so both have the same unresolved-name errors; init must add none.
        var (temp, model) = Copy("mlnet-fasttree-plain");
        using var _ = temp;
        var before = InitFixtures.CompileErrors(model);

        var plan = InitLifter.Lift(model);
        InitLifter.Apply(plan, model);

        plan.Parameters.Select(p => p.Name).ShouldBe(["NumberOfLeaves", "NumberOfTrees", "MinimumExampleCountPerLeaf", "LearningRate"]);
        InitFixtures.CompileErrors(model).Order().ShouldBe(before.Order());
    }

    [Fact]
    public void A_width_that_is_one_layers_output_and_the_next_layers_input_becomes_one_parameter()
    {
        var (temp, model) = Copy("torch-mlp-plain");
        using var _ = temp;

        var plan = InitLifter.Lift(model);

        var units = plan.Parameters.Single(p => p.Name == "Fc1Units");
        units.Uses.Select(u => u.Literal).ShouldBe(["256", "256"]);
        units.Parameter.Domain.ShouldBe(new Choice([64L, 128L, 256L, 512L, 1024L, 2048L])); // a quarter to eight times, in powers of two
        plan.Parameters.SelectMany(p => p.Uses).Where(u => u.Literal is "784" or "10").ShouldBeEmpty(); // data sizes are not widths to tune
        InitLifter.Apply(plan, model, new Assignment(new Dictionary<string, object> { ["Fc1Units"] = 512L }));
        var program = File.ReadAllText(Path.Combine(model, "Program.cs"));
        program.ShouldContain("nn.Linear(784, Hyper.Fc1Units)");
        program.ShouldContain("nn.Linear(Hyper.Fc1Units, Hyper.Fc2Units)");
        ModelDetector.Detect(model).Block!.SearchSpace["Fc1Units"].Current.ShouldBe(512L);
        InitFixtures.CompileErrors(model).ShouldBeEmpty();
    }

    [Fact]
    public void A_width_another_literal_of_the_file_also_uses_is_left_alone_and_a_kernel_takes_its_padding_along()
    {
        var (temp, model) = Copy("torch-cnn-plain");
        using var _ = temp;

        InitLifter.Apply(InitLifter.Lift(model), model);

        var net = File.ReadAllText(Path.Combine(model, "Net.cs"));
        // 64 also sizes the flattened input of fc (64 * 7 * 7): lifting it alone would break the shapes.
        net.ShouldContain("nn.Conv2d(Hyper.Conv1Filters, 64, Hyper.Conv1KernelSize, padding: Hyper.Conv1KernelSize / 2)");
        net.ShouldContain("nn.Linear(64 * 7 * 7, 10)");
        net.ShouldContain("nn.MaxPool2d(2)");
        File.ReadAllText(Path.Combine(model, "Program.cs")).ShouldContain("const float LearningRate = Hyper.LearningRate;");
    }

    [Fact]
    public void Detect_reads_the_block_init_wrote_into_plain_code_with_file_local_attributes()
    {
        var (temp, model) = Copy("torch-mlp-plain");
        using var _ = temp;
        var plan = InitLifter.Lift(model);

        InitLifter.Apply(plan, model);

        plan.UsesSdk.ShouldBeFalse();
        File.ReadAllText(Path.Combine(model, "Hyper.cs")).ShouldContain("file sealed class RangeAttribute : System.Attribute");
        var profile = ModelDetector.Detect(model);
        profile.Errors.ShouldBeEmpty();
        profile.Block.ShouldNotBeNull().SearchSpace.ShouldBe(plan.SearchSpace);
        profile.Block.Parameters.ShouldAllBe(p => p.IsUsed);
    }

    [Fact]
    public void Bytes_outside_the_lifted_literals_stay_identical_bom_crlf_and_trailing_spaces_included()
    {
        using var temp = new Fixtures.TempFolder();
        var source = "using TorchSharp;  \r\n// caf\u00e9 \u2014 a comment\r\nvar optimizer = torch.optim.Adam(null!, lr: 3e-4);\t\r\nvar epochs = 12;\r\n";
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(source)).ToArray();
        var path = Path.Combine(temp.Path, "Program.cs");
        File.WriteAllBytes(path, bytes);

        InitLifter.Apply(InitLifter.Lift(temp.Path), temp.Path);

        var expected = source.Replace("3e-4", "Hyper.LearningRate").Replace("= 12;", "= Hyper.Epochs;");
        File.ReadAllBytes(path).ShouldBe(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(expected)).ToArray());
        File.ReadAllText(Path.Combine(temp.Path, "Hyper.cs")).ShouldContain("\r\n"); // the block takes the code's line endings
    }

    [Fact]
    public void Apply_refuses_a_folder_whose_code_changed_since_the_plan_and_writes_nothing()
    {
        var (temp, model) = Copy("torch-mlp-plain");
        using var _ = temp;
        var plan = InitLifter.Lift(model);
        var program = Path.Combine(model, "Program.cs");
        File.WriteAllText(program, File.ReadAllText(program).Replace("lr: 0.01", "lr: 0.02"));

        Should.Throw<Autotune.Cli.AutotuneException>(() => InitLifter.Apply(plan, model)).Message.ShouldContain("changed since init read it");
        File.Exists(Path.Combine(model, "Hyper.cs")).ShouldBeFalse();
    }
}

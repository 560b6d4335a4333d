using Autotune.Detect;

namespace Autotune.Tests.Detect;

/// <summary>Every model fixture against the profile a reader of its code would write down.</summary>
public sealed class FixtureProfileTests
{
    public sealed record Expected(string Fixture, Framework Framework, Architecture Architecture, bool Cuda, bool CpuFallback,
        string Image, string? Entry, int Parameters, Framework[]? Also = null);

    public static readonly TheoryData<Expected> Models =
    [
        new Expected("torch-cnn-using-static", Framework.TorchSharp, Architecture.CNN, false, true, "torchsharp-cpu", "Model.cs:5", 3),
        new Expected("torch-cnn-alias", Framework.TorchSharp, Architecture.CNN, true, true, "torchsharp-cuda", "Program.cs:5", 0),
        new Expected("torch-cnn-fully-qualified", Framework.TorchSharp, Architecture.CNN, true, false, "torchsharp-cuda", "Program.cs:5", 0),
        new Expected("torch-cnn-sequential-tuples", Framework.TorchSharp, Architecture.CNN, false, true, "torchsharp-cpu", "Program.cs:5", 1),
        new Expected("torch-cnn-helper-method", Framework.TorchSharp, Architecture.CNN, false, true, "torchsharp-cpu", "Program.cs:3", 0),
        new Expected("torch-rnn-lstm", Framework.TorchSharp, Architecture.RNN, false, true, "torchsharp-cpu", "Program.cs:20", 2),
        new Expected("torch-rnn-gru-cell-loop", Framework.TorchSharp, Architecture.RNN, false, true, "torchsharp-cpu", "Program.cs:5", 0),
        new Expected("torch-transformer", Framework.TorchSharp, Architecture.Transformer, false, true, "torchsharp-cpu", "Program.cs:5", 4),
        new Expected("torch-transformer-attention", Framework.TorchSharp, Architecture.Transformer, true, true, "torchsharp-cuda", "Attention.cs:23", 0),
        new Expected("torch-mlp-loop", Framework.TorchSharp, Architecture.MLP, false, true, "torchsharp-cpu", "Program.cs:4", 3),
        new Expected("torch-mlp-sequential", Framework.TorchSharp, Architecture.MLP, false, true, "torchsharp-cpu", "Model.cs:7", 0),
        new Expected("torch-linear-regression", Framework.TorchSharp, Architecture.Linear, false, true, "torchsharp-cpu", "Program.cs:4", 2),
        new Expected("mlnet-fasttree", Framework.MlNet, Architecture.TreeEnsemble, false, true, "mlnet", "Program.cs:4", 3),
        new Expected("mlnet-lightgbm-through-variable", Framework.MlNet, Architecture.TreeEnsemble, false, true, "mlnet", "Program.cs:3", 0),
        new Expected("mlnet-sdca", Framework.MlNet, Architecture.Linear, false, true, "mlnet", "Program.cs:3", 1),
        new Expected("mlnet-kmeans", Framework.MlNet, Architecture.Other, false, true, "mlnet", "Program.cs:3", 0),
        new Expected("mlnet-image-gpu-fallback", Framework.MlNet, Architecture.CNN, true, true, "mlnet", "Program.cs:4", 0),
        new Expected("tensorflow-keras-cnn", Framework.TensorFlowNet, Architecture.CNN, false, true, "tensorflow-cpu", "Program.cs:5", 1),
        new Expected("onnx-inference-cuda", Framework.OnnxRuntime, Architecture.Other, true, false, "onnxruntime-cuda", "Program.cs:3", 0),
        new Expected("mixed-mlnet-torch-lstm", Framework.TorchSharp, Architecture.RNN, true, true, "torchsharp-cuda", "Program.cs:6", 3, [Framework.TorchSharp, Framework.MlNet]),
        new Expected("none-plain-console", Framework.None, Architecture.Other, false, true, "dotnet", "Program.cs:2", 0, []),
        new Expected("static-main-typed-block", Framework.TorchSharp, Architecture.CNN, false, true, "torchsharp-cpu", "Cnn.cs:11", 7),
        new Expected("package-only-cuda", Framework.TorchSharp, Architecture.Other, true, false, "torchsharp-cuda", "Program.cs:2", 0),
        new Expected("skips-generated-and-build-output", Framework.TorchSharp, Architecture.MLP, false, true, "torchsharp-cpu", "Program.cs:3", 1),
        new Expected("image-override", Framework.TorchSharp, Architecture.CNN, false, true, "acme-torch-cpu", "Program.cs:3", 0),
    ];

    [Theory]
    [MemberData(nameof(Models))]
    public void Each_fixture_reads_as_the_profile_its_code_implies(Expected e)
    {
        var profile = ModelDetector.Detect(Fixtures.Model(e.Fixture));

        profile.Errors.ShouldBeEmpty();
        profile.Framework.Primary.ShouldBe(e.Framework);
        if (e.Also is not null) profile.Framework.All.ShouldBe(e.Also);
        profile.Architecture.Kind.ShouldBe(e.Architecture);
        profile.Device.AsksForCuda.ShouldBe(e.Cuda);
        profile.Device.FallsBackToCpu.ShouldBe(e.CpuFallback);
        profile.Image.Name.ShouldBe(e.Image);
        (profile.EntryPoint is { } entry ? $"{entry.File}:{entry.Line}" : null).ShouldBe(e.Entry);
        (profile.Block?.Parameters.Count ?? 0).ShouldBe(e.Parameters);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_conclusion_other_than_none_points_at_a_line_of_the_model(Expected e)
    {
        var profile = ModelDetector.Detect(Fixtures.Model(e.Fixture));

        if (profile.Framework.Primary != Framework.None) profile.Framework.Evidence.ShouldNotBeEmpty();
        if (profile.Architecture.Layers.Count > 0) profile.Architecture.Evidence.ShouldNotBeEmpty();
        if (profile.Device.AsksForCuda) profile.Device.Evidence.ShouldNotBeEmpty();
        foreach (var evidence in profile.Framework.Evidence.Concat(profile.Architecture.Evidence).Concat(profile.Device.Evidence))
        {
            evidence.Line.ShouldBeGreaterThan(0);
            File.Exists(Path.Combine(Fixtures.Model(e.Fixture), evidence.File)).ShouldBeTrue(evidence.ToString());
        }
    }

    [Fact]
    public void Build_output_dot_folders_and_generated_files_are_not_read()
    {
        using var temp = new Fixtures.TempFolder();
        temp.CopyFrom(Fixtures.Model("skips-generated-and-build-output"));
        const string shadow = "[Autotune.Hyperparameters] public static class Shadow { [Autotune.Choice(1, 2)] public const int X = 1; }";
        foreach (var path in new[] { "obj/Debug/Old.cs", "bin/Release/Copy.cs", ".autotune/trial-1/Hyper.cs", "Model.g.cs", "Form.Designer.cs" })
            temp.Write(path, shadow);
        temp.Write("Generated/Header.cs", "// <auto-generated/>\n" + shadow);

        var profile = ModelDetector.Detect(temp.Path);

        profile.Errors.ShouldBeEmpty();
        profile.FileCount.ShouldBe(1);
        profile.Block!.ClassName.ShouldBe("Real");
    }

    [Fact]
    public void Layer_names_do_not_count_in_a_project_without_that_framework()
    {
        var profile = ModelDetector.Detect(Fixtures.Model("none-plain-console"));

        profile.Architecture.Layers.ShouldBeEmpty();
    }
}

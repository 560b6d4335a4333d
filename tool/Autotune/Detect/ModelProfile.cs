namespace Autotune.Detect;

/// <summary>The framework a model is written against. Names as users write them: see <see cref="FrameworkNames"/>.</summary>
public enum Framework { None, TorchSharp, MlNet, TensorFlowNet, OnnxRuntime }

/// <summary>The family of model the code constructs.</summary>
public enum Architecture { Other, CNN, RNN, Transformer, MLP, TreeEnsemble, Linear }

public static class FrameworkNames
{
    public static string Display(Framework f) => f switch
    {
        Framework.TorchSharp => "TorchSharp",
        Framework.MlNet => "ML.NET",
        Framework.TensorFlowNet => "TensorFlow.NET",
        Framework.OnnxRuntime => "ONNX Runtime",
        _ => "none",
    };

    public static Framework? Parse(string name) =>
        Enum.GetValues<Framework>().Cast<Framework?>().FirstOrDefault(f => string.Equals(Display(f!.Value), name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The framework found (the primary one first in <see cref="All"/>), and why.</summary>
public sealed record FrameworkFinding(Framework Primary, IReadOnlyList<Framework> All, IReadOnlyList<Evidence> Evidence);

/// <summary>The architecture found, the layers or trainers counted by name, and where they are constructed.</summary>
public sealed record ArchitectureFinding(Architecture Kind, IReadOnlyDictionary<string, int> Layers, IReadOnlyList<Evidence> Evidence);

/// <summary>Whether the code asks for CUDA and whether it runs on the CPU when no GPU is there.</summary>
public sealed record DeviceFinding(bool AsksForCuda, bool FallsBackToCpu, IReadOnlyList<Evidence> Evidence)
{
    /// <summary>The device the runtime image must provide: "cuda" or "cpu".</summary>
    public string ImageDevice => AsksForCuda ? "cuda" : "cpu";
}

/// <summary>Where the program starts: top-level statements or a static Main.</summary>
public sealed record EntryPoint(string File, int Line, string Kind);

/// <summary>The runtime image template chosen for the model, and which catalogue entry chose it.</summary>
public sealed record ImageChoice(string Name, Evidence Evidence);

/// <summary>A data file (.csv or .jsonl) the program writes, by its path relative to the folder it runs in ('/'-separated), and where.</summary>
public sealed record WrittenFile(string Path, Evidence Evidence);

/// <summary>Everything Detect concludes about a model project; each conclusion carries its evidence.</summary>
public sealed record ModelProfile(
    string ModelDir,
    int FileCount,
    int LineCount,
    FrameworkFinding Framework,
    ArchitectureFinding Architecture,
    DeviceFinding Device,
    EntryPoint? EntryPoint,
    HyperparameterBlock? Block,
    ImageChoice Image,
    IReadOnlyList<DetectProblem> Problems,
    RuntimeVersions? Versions = null,
    IReadOnlyList<WrittenFile>? Written = null)
{
    /// <summary>The .csv and .jsonl files the code writes, the first write of each (a program without the SDK may log its epochs there).</summary>
    public IReadOnlyList<WrittenFile> WrittenFiles => Written ?? [];

    /// <summary>The .NET and framework package versions a runtime image must match (unknown ones left out).</summary>
    public RuntimeVersions Runtime => Versions ?? RuntimeVersions.Unknown;

    public bool HasErrors => Problems.Any(p => p.IsError);
    public IEnumerable<DetectProblem> Errors => Problems.Where(p => p.IsError);
    public IEnumerable<DetectProblem> Warnings => Problems.Where(p => !p.IsError);
}

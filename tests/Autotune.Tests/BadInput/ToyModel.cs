using Autotune.Detect;
using Autotune.Search;
using Autotune.Study;

namespace Autotune.Tests.BadInput;

/// <summary>
/// A tiny model project in a scratch folder: a block of four parameters and a program that reports a
/// loss per epoch through the SDK. It references the SDK assembly beside the tests, so it builds in seconds.
/// </summary>
public sealed class ToyModel : IDisposable
{
    public const string Block = """
        using Autotune;

        [Hyperparameters]
        public static class Hyper
        {
            [Range(1, 4)]             public const int    Layers       = 2;
            [Choice(8, 16, 32)]       public const int    Filters      = 16;
            [LogRange(1e-4, 1e-1)]    public const double LearningRate = 1e-2;
            [Choice("max", "avg")]    public const string Pooling      = "max";
        }

        """;

    public const string Program = """
        using Autotune;
        var trial = Trial.Current;
        var epochs = trial.Epochs(declared: 2);
        for (var e = 1; e <= epochs && !trial.StopRequested; e++)
            trial.ReportEpoch(e, new Dictionary<string, double> { ["loss"] = 1.0 / (e * Hyper.Layers + Hyper.Filters) });
        return 0;

        """;

    public string Folder { get; }
    public string StorePath => Path.Combine(Folder, ".autotune", "study.db");

    /// <summary>A folder beside the model, outside it, for links that lead out; removed with the model.</summary>
    public string Outside => Directory.CreateDirectory(Folder + ".outside").FullName;

    /// <param name="prefix">The start of the model folder's name (a hostile path is made of it).</param>
    public ToyModel(string? block = Block, string program = Program, string prefix = "autotune-toy-")
    {
        Folder = Directory.CreateTempSubdirectory(prefix).FullName;
        Write("Toy.csproj", Project());
        if (block is not null) Write("Hyper.cs", block);
        Write("Program.cs", program);
    }

    public static string Project() => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
          <ItemGroup><Reference Include="Autotune.Sdk"><HintPath>{Path.Combine(AppContext.BaseDirectory, "Autotune.Sdk.dll")}</HintPath></Reference></ItemGroup>
        </Project>
        """;

    public string Write(string relative, string text)
    {
        var full = Path.Combine(Folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    /// <summary>A named pipe (FIFO) at <paramref name="relative"/>: opening it to read blocks until something writes to it.</summary>
    public string Fifo(string relative)
    {
        var full = Path.Combine(Folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return Files.PathKindTests.Fifo(Path.GetDirectoryName(full)!, Path.GetFileName(full));
    }

    /// <summary>The project without its reference to the SDK: a program autotune reads through its output or metrics file.</summary>
    public void WithoutSdk() => Write("Toy.csproj", """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
        </Project>
        """);

    /// <summary>A symbolic link at <paramref name="relative"/> to <paramref name="target"/> (a file or a folder).</summary>
    public void Link(string relative, string target)
    {
        var full = Path.Combine(Folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        if (Directory.Exists(target)) Directory.CreateSymbolicLink(full, target);
        else File.CreateSymbolicLink(full, target);
    }

    /// <summary>A real study store holding study 'Toy' for this block, with one completed trial.</summary>
    public void CreateStudy(string target = "loss<0.0001")
    {
        var space = ModelDetector.Detect(Folder).Block!.SearchSpace;
        using var store = StudyStore.Open(StorePath);
        var study = store.CreateStudy("Toy", Folder, space, target, "tpe", 0, "{}");
        var trial = store.AddTrial(study, space.Current());
        store.MarkRunning(study, trial.Number);
        store.RecordEpoch(study, trial.Number, new MetricLine(1, new Dictionary<string, double> { ["loss"] = 0.05 }, 0.1));
        store.Finish(study, trial.Number, TrialState.Completed, 0.05, 0, null);
    }

    public void Dispose()
    {
        foreach (var folder in new[] { Folder, Folder + ".outside" })
            try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}

using Autotune.Train;

namespace Autotune.Tests.Docker;

/// <summary>tests/programs/toy-trainer, built once per test run into a scratch folder.</summary>
public static class ToyProgram
{
    private static readonly SemaphoreSlim gate = new(1, 1);
    private static BuiltProgram? built;

    public static string ProjectFolder
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Autotune.slnx"))) return Path.Combine(d.FullName, "tests", "programs", "toy-trainer");
            throw new InvalidOperationException("repository root (Autotune.slnx) not found above " + AppContext.BaseDirectory);
        }
    }

    private static string Output => Path.Combine(Path.GetTempPath(), $"autotune-toy-{Environment.ProcessId}");

    public static void Delete()
    {
        foreach (var folder in new[] { Output, Output + "-log" })
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    public static async Task<BuiltProgram> BuildAsync()
    {
        await gate.WaitAsync();
        try
        {
            if (built is not null) return built;
            return built = await new ProjectBuilder().BuildAsync(ModelProject.Open(ProjectFolder), Output,
                Path.Combine(Output + "-log", "build.log"), CancellationToken.None);
        }
        finally { gate.Release(); }
    }
}

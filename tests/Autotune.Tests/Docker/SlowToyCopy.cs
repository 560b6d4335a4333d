using Autotune.Train;

namespace Autotune.Tests.Docker;

/// <summary>
/// A copy of the toy trainer with slower epochs (so a container can be killed mid-trial), its project reference made
/// absolute, for `autotune run` against the real engine. Readable by all: when the tests run as root the container's
/// user is 1000, and it reaches its trial folder through the source.
/// </summary>
public static class SlowToyCopy
{
    /// <summary>Copies the toy into <paramref name="root"/>/toy and returns that folder.</summary>
    public static string Make(string root)
    {
        var copy = Path.Combine(root, "toy");
        Directory.CreateDirectory(copy);
        foreach (var file in new[] { "Program.cs", "Hyper.cs", "ToyTrainer.csproj" })
            File.Copy(Path.Combine(ToyProgram.ProjectFolder, file), Path.Combine(copy, file));
        // The repository's shared build settings (target framework and the like) sit above the copy as they sit above the toy.
        foreach (var props in new[] { "Directory.Build.props", "Directory.Packages.props" })
            File.Copy(Path.Combine(ToyProgram.ProjectFolder, "..", "..", "..", props), Path.Combine(root, props));
        var project = Path.Combine(copy, "ToyTrainer.csproj");
        File.WriteAllText(project, TrialWorkspace.AbsolutePaths(File.ReadAllText(project), ToyProgram.ProjectFolder));
        var program = Path.Combine(copy, "Program.cs");
        File.WriteAllText(program, File.ReadAllText(program).Replace("Int(\"TOY_EPOCH_DELAY_MS\", 0)", "Int(\"TOY_EPOCH_DELAY_MS\", 700)"));
        foreach (var folder in new[] { root, copy }) File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        return copy;
    }
}

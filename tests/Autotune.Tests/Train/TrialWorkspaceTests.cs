using Autotune.Train;

namespace Autotune.Tests.Train;

public sealed class TrialWorkspaceTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("autotune-ws-").FullName;

    [Fact]
    public void The_copy_has_the_sources_but_no_build_output_and_its_references_point_back_at_the_originals()
    {
        var lib = Path.Combine(root, "lib");
        Directory.CreateDirectory(lib);
        File.WriteAllText(Path.Combine(lib, "Lib.csproj"), "<Project />");
        var model = Path.Combine(root, "repo", "model");
        Directory.CreateDirectory(Path.Combine(model, "Layers"));
        Directory.CreateDirectory(Path.Combine(model, "bin"));
        Directory.CreateDirectory(Path.Combine(model, ".autotune"));
        File.WriteAllText(Path.Combine(model, "Model.csproj"),
            """<Project><ItemGroup><ProjectReference Include="../../lib/Lib.csproj" /><Compile Include="Layers/*.cs" /></ItemGroup></Project>""");
        File.WriteAllText(Path.Combine(model, "Program.cs"), "// program");
        File.WriteAllText(Path.Combine(model, "Layers", "Conv.cs"), "// conv");
        File.WriteAllText(Path.Combine(model, "bin", "old.dll"), "");
        File.WriteAllText(Path.Combine(model, ".autotune", "study.db"), "");

        var ws = TrialWorkspace.Prepare(ModelProject.Open(model), Path.Combine(model, ".autotune", "workspace"));

        File.ReadAllText(ws.MapToCopy(Path.Combine(model, "Layers", "Conv.cs"))).ShouldBe("// conv");
        File.Exists(Path.Combine(ws.Copy.Folder, "bin", "old.dll")).ShouldBeFalse();
        Directory.Exists(Path.Combine(ws.Copy.Folder, ".autotune")).ShouldBeFalse();
        var xml = File.ReadAllText(ws.Copy.ProjectFile);
        xml.ShouldContain($"Include=\"{Path.Combine(lib, "Lib.csproj")}\"");
        xml.ShouldContain("Include=\"Layers/*.cs\"");
    }

    [Fact]
    public void A_named_pipe_in_the_model_folder_is_left_out_of_the_copy_instead_of_read()
    {
        var model = Path.Combine(root, "m");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "Model.csproj"), "<Project />");
        File.WriteAllText(Path.Combine(model, "Program.cs"), "// program");
        Files.PathKindTests.Fifo(model, "data.pipe");

        var ws = TrialWorkspace.Prepare(ModelProject.Open(model), Path.Combine(model, ".autotune", "workspace"));

        File.Exists(Path.Combine(ws.Copy.Folder, "Program.cs")).ShouldBeTrue();
        File.Exists(Path.Combine(ws.Copy.Folder, "data.pipe")).ShouldBeFalse();
    }

    [Fact]
    public void Preparing_again_drops_files_the_original_no_longer_has()
    {
        var model = Path.Combine(root, "m");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "M.csproj"), "<Project />");
        File.WriteAllText(Path.Combine(model, "Old.cs"), "");
        var folder = Path.Combine(root, "ws");
        TrialWorkspace.Prepare(ModelProject.Open(model), folder);
        File.Delete(Path.Combine(model, "Old.cs"));
        TrialWorkspace.Prepare(ModelProject.Open(model), folder);
        File.Exists(Path.Combine(folder, "Old.cs")).ShouldBeFalse();
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}

using Autotune.Rewrite.Init;
using Autotune.Search;
using Autotune.Tests.Detect;
using Autotune.Tests.Rewrite;
using Autotune.Train;
using Autotune.Tune;

namespace Autotune.Tests.Tune;

/// <summary>How `run`, `ask`, `train --values` and `apply` find what to tune: the model's block, or the block lifted from its literals.</summary>
public sealed class TunableModelTests : IDisposable
{
    private readonly Fixtures.TempFolder temp = new();
    private readonly Fixtures.TempFolder state = new(); // the workspace lives outside the model folder, as .autotune is skipped there
    private readonly string model;

    public TunableModelTests()
    {
        model = temp.CopyFrom(InitFixtures.Model("torch-mlp-plain"));
        temp.Write("Mlp.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>");
    }

    [Fact]
    public void A_model_without_a_block_is_tuned_through_the_block_init_lifts_and_its_files_stay_as_they_are()
    {
        var before = Snapshot(model);

        var tunable = TunableModel.Resolve(model);

        tunable.Block.ShouldBeNull();
        tunable.Lifted.ShouldNotBeNull();
        tunable.Space.ShouldBe(InitLifter.Lift(model).SearchSpace);
        tunable.DescribeLifted().ShouldContain("proposed search space");
        Snapshot(model).ShouldBe(before);
    }

    [Fact]
    public void No_init_refuses_a_model_without_a_block_in_one_line_that_says_how_to_see_what_would_be_tuned()
    {
        var e = Should.Throw<Autotune.Cli.AutotuneException>(() => TunableModel.Resolve(model, allowInit: false));

        e.ExitCode.ShouldBe(2);
        e.Message.ShouldContain("--no-init");
        e.Message.ShouldContain("autotune init");
        e.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void Each_trial_writes_its_values_into_the_workspace_starting_again_from_the_users_files()
    {
        var before = Snapshot(model);
        var tunable = TunableModel.Resolve(model);
        var workspace = TrialWorkspace.Prepare(ModelProject.Open(model), Path.Combine(state.Path, "workspace"));
        var name = tunable.Space.Parameters.First(p => p.Domain is RealRange).Name;
        var range = (RealRange)tunable.Space[name].Domain;

        tunable.WriteInto(workspace, new Assignment(new Dictionary<string, object> { [name] = range.Min }));
        tunable.WriteInto(workspace, new Assignment(new Dictionary<string, object> { [name] = range.Max }));

        var block = File.ReadAllText(Path.Combine(workspace.Copy.Folder, tunable.Lifted!.BlockFile));
        block.ShouldContain($"{name}");
        block.ShouldContain(Autotune.Search.SearchValue.Format(range.Max));
        var program = File.ReadAllText(Path.Combine(workspace.Copy.Folder, "Program.cs"));
        program.ShouldContain($"{tunable.ClassName}.{name}");
        program.ShouldNotContain($"{tunable.ClassName}.{tunable.ClassName}."); // written once, not over the last trial's edit
        InitFixtures.CompileErrors(workspace.Copy.Folder).ShouldBeEmpty();
        Snapshot(model).ShouldBe(before);
    }

    [Fact]
    public void Writing_into_the_model_writes_the_block_file_and_every_use_and_a_dry_run_writes_nothing()
    {
        var tunable = TunableModel.Resolve(model);
        var before = Snapshot(model);
        var values = tunable.Space.Current();

        var planned = tunable.WriteIntoModel(values, dryRun: true);
        Snapshot(model).ShouldBe(before);
        var written = tunable.WriteIntoModel(values, dryRun: false);

        written.Select(r => r.After).ShouldBe(planned.Select(r => r.After));
        File.Exists(Path.Combine(model, tunable.Lifted!.BlockFile)).ShouldBeTrue();
        TunableModel.Resolve(model).Block.ShouldNotBeNull(); // detect now reads the block it wrote
        InitFixtures.CompileErrors(model).ShouldBeEmpty();
    }

    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllText);

    public void Dispose()
    {
        temp.Dispose();
        state.Dispose();
    }
}

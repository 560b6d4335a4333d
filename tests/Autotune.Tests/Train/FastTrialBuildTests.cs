using System.Diagnostics;
using Autotune.Cli;
using Autotune.Detect;
using Autotune.Rewrite;
using Autotune.Search;
using Autotune.Tests.Support;
using Autotune.Train;

namespace Autotune.Tests.Train;

/// <summary>
/// The fast trial build (in-process Roslyn against the first build's compiler command line) and its
/// fallback to dotnet build, on real projects built by the real SDK.
/// </summary>
[Collection(SampleCollection.Name)]
[Trait("Category", "Integration")]
public sealed class FastTrialBuildTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("autotune-fastbuild-").FullName;
    private readonly List<string> cleanup = [];

    [Fact]
    public async Task The_sample_trains_one_short_trial_with_identical_metrics_through_Roslyn_and_through_dotnet_build()
    {
        Mnist.Require();
        var sample = ModelProject.Open(Mnist.SampleFolder);
        // Inside the sample's state folder, as a study's workspace is: the repository's Directory.Build.props applies.
        var state = Path.Combine(sample.StateFolder, "test-fastbuild-" + Guid.NewGuid().ToString("N")[..8]);
        cleanup.Add(state);
        var workspace = TrialWorkspace.Prepare(sample, Path.Combine(state, "workspace"));
        var block = ModelDetector.Detect(sample.Folder).Block.ShouldNotBeNull();
        var fast = new RoslynTrialBuilder();
        var first = await fast.BuildAsync(workspace.Copy, Path.Combine(state, "build"), Path.Combine(state, "t1", "build.log"), CancellationToken.None);
        (await File.ReadAllTextAsync(Path.Combine(state, "t1", "trial.log"))).ShouldContain("fast build ready");
        fast.FallbackReason.ShouldBeNull();

        // Trial 2's values, rewritten into the workspace: compiled in process, then by dotnet build.
        var copy = block with { FullPath = workspace.MapToCopy(block.FullPath) };
        BlockRewriter.ApplyToFile(copy, new Assignment(new Dictionary<string, object> { ["LearningRate"] = 2e-3, ["Dropout"] = 0.1 }), BlockTemplate.ForModel(sample.Folder));
        var roslyn = await fast.BuildAsync(workspace.Copy, Path.Combine(state, "build"), Path.Combine(state, "t2", "build.log"), CancellationToken.None);
        roslyn.Folder.ShouldBe(RoslynTrialBuilder.FastFolder(Path.Combine(state, "build")));
        (await File.ReadAllTextAsync(Path.Combine(state, "t2", "trial.log"))).ShouldContain(RoslynTrialBuilder.CompiledNote);
        File.ReadAllBytes(roslyn.Assembly).ShouldNotBe(File.ReadAllBytes(first.Assembly)); // the new values are in it
        var msbuild = await new ProjectBuilder().BuildAsync(workspace.Copy, Path.Combine(state, "build-msbuild"), Path.Combine(state, "t3", "build.log"), CancellationToken.None);

        var a = await TrainOneEpochAsync(roslyn, Path.Combine(state, "t2"));
        var b = await TrainOneEpochAsync(msbuild, Path.Combine(state, "t3"));
        a.Metrics["accuracy"].ShouldBe(b.Metrics["accuracy"]);
        a.Metrics["loss"].ShouldBe(b.Metrics["loss"]);
        a.Metrics["test_loss"].ShouldBe(b.Metrics["test_loss"]);
    }

    [Fact]
    public async Task A_project_with_a_source_generator_falls_back_to_dotnet_build_and_the_trial_log_says_why()
    {
        var project = TinyProject("generated", """
            using System.Text.RegularExpressions;
            Console.WriteLine(Pattern.Digits().IsMatch("a1") ? "match" : "none");
            static partial class Pattern { [GeneratedRegex("[0-9]")] public static partial Regex Digits(); }
            """);
        var builder = new RoslynTrialBuilder();
        var built = await builder.BuildAsync(project, Path.Combine(scratch, "generated-out"), Path.Combine(scratch, "g1", "build.log"), CancellationToken.None);

        builder.FallbackReason.ShouldNotBeNull().ShouldContain("source generator System.Text.RegularExpressions.Generator");
        var log = await File.ReadAllLinesAsync(Path.Combine(scratch, "g1", "trial.log"));
        log.ShouldContain(l => l.StartsWith(RoslynTrialBuilder.FallbackNote, StringComparison.Ordinal) && l.Contains("RegexGenerator"));
        Run(built).ShouldBe("match");

        var second = await builder.BuildAsync(project, Path.Combine(scratch, "generated-out"), Path.Combine(scratch, "g2", "build.log"), CancellationToken.None);
        second.Folder.ShouldBe(Path.Combine(scratch, "generated-out")); // dotnet build's own output, not the fast folder
        (await File.ReadAllTextAsync(Path.Combine(scratch, "g2", "trial.log"))).ShouldContain(RoslynTrialBuilder.FallbackNote);
    }

    [Fact]
    public async Task A_project_with_a_custom_build_target_falls_back_to_dotnet_build_and_the_trial_log_says_why()
    {
        var project = TinyProject("targets", "Console.WriteLine(\"ok\");", """
            <Target Name="WriteStamp" BeforeTargets="CoreCompile"><WriteLinesToFile File="$(IntermediateOutputPath)stamp.txt" Lines="x" Overwrite="true" /></Target>
            """);
        var builder = new RoslynTrialBuilder();
        var built = await builder.BuildAsync(project, Path.Combine(scratch, "targets-out"), Path.Combine(scratch, "c1", "build.log"), CancellationToken.None);

        builder.FallbackReason.ShouldNotBeNull().ShouldContain("custom build target 'WriteStamp'");
        (await File.ReadAllTextAsync(Path.Combine(scratch, "c1", "trial.log"))).ShouldContain(RoslynTrialBuilder.FallbackNote + "custom build target 'WriteStamp'");
        Run(built).ShouldBe("ok");
    }

    [Fact]
    public async Task A_tiny_project_gives_the_same_program_through_both_build_paths_and_the_fast_one_sees_each_rewrite()
    {
        var project = TinyProject("tiny", Tiny(3));
        var builder = new RoslynTrialBuilder();
        var output = Path.Combine(scratch, "tiny-out");
        Run(await builder.BuildAsync(project, output, Path.Combine(scratch, "1", "build.log"), CancellationToken.None)).ShouldBe("9 Release");

        await File.WriteAllTextAsync(Path.Combine(project.Folder, "Program.cs"), Tiny(5));
        var fast = await builder.BuildAsync(project, output, Path.Combine(scratch, "2", "build.log"), CancellationToken.None);
        fast.Folder.ShouldBe(RoslynTrialBuilder.FastFolder(output));
        var slow = await new ProjectBuilder().BuildAsync(project, Path.Combine(scratch, "tiny-msbuild"), Path.Combine(scratch, "3", "build.log"), CancellationToken.None);
        Run(fast).ShouldBe("25 Release");
        Run(slow).ShouldBe(Run(fast));
    }

    [Fact]
    public async Task A_rewrite_that_does_not_compile_fails_the_fast_build_with_exit_2_and_the_file_and_line()
    {
        var project = TinyProject("broken", Tiny(3));
        var builder = new RoslynTrialBuilder();
        var output = Path.Combine(scratch, "broken-out");
        await builder.BuildAsync(project, output, Path.Combine(scratch, "b1", "build.log"), CancellationToken.None);

        await File.WriteAllTextAsync(Path.Combine(project.Folder, "Program.cs"), "const int Side = \"three\";\nConsole.WriteLine(Side);\n");
        var e = await Should.ThrowAsync<AutotuneException>(() => builder.BuildAsync(project, output, Path.Combine(scratch, "b2", "build.log"), CancellationToken.None));
        e.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        e.Message.ShouldStartWith(Path.Combine(project.Folder, "Program.cs") + ":1:");
        e.Message.ShouldContain("CS0029");
        e.Message.ShouldNotContain("\n");
    }

    private ModelProject TinyProject(string name, string program, string extra = "") => Support.TinyProject.Create(scratch, name, program, extra);

    private static string Tiny(int side) => Support.TinyProject.Squares(side);

    private static string Run(BuiltProgram program) => Support.TinyProject.Run(program);

    private static async Task<MetricLine> TrainOneEpochAsync(BuiltProgram program, string trialFolder)
    {
        Directory.CreateDirectory(trialFolder);
        var env = new Dictionary<string, string>
        {
            [TrialEnvironment.Folder] = trialFolder, [TrialEnvironment.Seed] = "5", [TrialEnvironment.MaxEpochs] = "1",
            [TrialEnvironment.Device] = "cpu", ["MNIST_TRAIN_LIMIT"] = "500",
        };
        var lines = new List<string>();
        var outcome = await new ProcessRunner().RunAsync(new TrialLaunch(program, trialFolder, env, TimeSpan.FromMinutes(5)), lines.Add, CancellationToken.None);
        outcome.ExitCode.ShouldBe(0, string.Join('\n', lines.TakeLast(20)));
        return MetricsFile.Read(Path.Combine(trialFolder, TrialEnvironment.MetricsFile)).ShouldHaveSingleItem();
    }

    public void Dispose()
    {
        Directory.Delete(scratch, recursive: true);
        foreach (var folder in cleanup.Where(Directory.Exists)) Directory.Delete(folder, recursive: true);
    }
}

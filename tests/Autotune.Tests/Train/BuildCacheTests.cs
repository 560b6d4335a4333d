using Autotune.Tests.Support;
using Autotune.Train;

namespace Autotune.Tests.Train;

/// <summary>
/// Builds filed across studies (Train/BuildCache.cs) and the key that files them (Train/BuildKey.cs), on tiny
/// projects built and evaluated by the real SDK; the cache lives in this class's scratch folder.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BuildCacheTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("autotune-buildcache-").FullName;
    private BuildCache Cache => new(Path.Combine(scratch, "cache"));

    [Fact]
    public async Task A_second_study_of_an_unchanged_project_starts_from_the_filed_build_without_dotnet_build()
    {
        var first = TinyProject.Create(scratch, "squares", TinyProject.Squares(3));
        var built = await new RoslynTrialBuilder(cache: Cache).BuildAsync(first, Path.Combine(scratch, "out-1"), Path.Combine(scratch, "t1", "build.log"), CancellationToken.None);
        TinyProject.Run(built).ShouldBe("9 Release");
        (await File.ReadAllTextAsync(Path.Combine(scratch, "t1", "trial.log"))).ShouldContain("build cache: filed this build");

        // Another folder, other values in the source: the same build inputs.
        var second = TinyProject.Create(Path.Combine(scratch, "elsewhere"), "squares", TinyProject.Squares(5));
        var builder = new RoslynTrialBuilder(cache: Cache);
        var reused = await builder.BuildAsync(second, Path.Combine(scratch, "out-2"), Path.Combine(scratch, "t2", "build.log"), CancellationToken.None);

        var log = await File.ReadAllTextAsync(Path.Combine(scratch, "t2", "trial.log"));
        log.ShouldContain(RoslynTrialBuilder.ReusedNote);
        log.ShouldContain(RoslynTrialBuilder.CompiledNote);
        reused.Folder.ShouldBe(RoslynTrialBuilder.FastFolder(Path.Combine(scratch, "out-2")));
        File.Exists(Path.Combine(second.Folder, "obj", "project.assets.json")).ShouldBeFalse(); // no restore, so no dotnet build, ran
        TinyProject.Run(reused).ShouldBe("25 Release");
        builder.FallbackReason.ShouldBeNull();

        // Its later trials compile in process as usual.
        await File.WriteAllTextAsync(Path.Combine(second.Folder, "Program.cs"), TinyProject.Squares(7));
        TinyProject.Run(await builder.BuildAsync(second, Path.Combine(scratch, "out-2"), Path.Combine(scratch, "t3", "build.log"), CancellationToken.None)).ShouldBe("49 Release");
    }

    [Fact]
    public async Task A_damaged_entry_is_passed_over_for_dotnet_build_and_the_trial_log_says_why()
    {
        var project = TinyProject.Create(scratch, "damaged", TinyProject.Squares(2));
        await new RoslynTrialBuilder(cache: Cache).BuildAsync(project, Path.Combine(scratch, "out-1"), Path.Combine(scratch, "t1", "build.log"), CancellationToken.None);
        var entry = Directory.GetDirectories(Cache.Root).ShouldHaveSingleItem();
        await File.WriteAllTextAsync(Path.Combine(entry, "compiler-arguments.json"), "{}");

        await File.WriteAllTextAsync(Path.Combine(project.Folder, "Program.cs"), TinyProject.Squares(4));
        var built = await new RoslynTrialBuilder(cache: Cache).BuildAsync(project, Path.Combine(scratch, "out-2"), Path.Combine(scratch, "t2", "build.log"), CancellationToken.None);

        var log = await File.ReadAllTextAsync(Path.Combine(scratch, "t2", "trial.log"));
        log.ShouldContain($"build cache entry {Path.GetFileName(entry)} not used: MSBuild reported no C# compiler command line");
        log.ShouldContain("fast build ready");
        TinyProject.Run(built).ShouldBe("16 Release");
    }

    [Fact]
    public async Task The_key_ignores_the_folder_and_the_sources_text_but_not_what_the_build_outputs()
    {
        var variable = "AUTOTUNE_TEST_KEY_" + Guid.NewGuid().ToString("N")[..8];
        var project = TinyProject.Create(scratch, "keyed", TinyProject.Squares(3), $"""
            <ItemGroup><None Include="data.txt" CopyToOutputDirectory="PreserveNewest" /></ItemGroup>
            <PropertyGroup><DataName>$({variable})</DataName></PropertyGroup>
            """);
        await File.WriteAllTextAsync(Path.Combine(project.Folder, "data.txt"), "first");
        var key = await KeyAsync(project);

        var copy = Path.Combine(scratch, "copy", "keyed");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(project.Folder)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        await File.WriteAllTextAsync(Path.Combine(copy, "Program.cs"), TinyProject.Squares(9));
        (await KeyAsync(ModelProject.Open(copy))).ShouldBe(key);

        await File.WriteAllTextAsync(Path.Combine(copy, "data.txt"), "second");
        var copiedFileChanged = await KeyAsync(ModelProject.Open(copy));
        copiedFileChanged.ShouldNotBe(key);

        Environment.SetEnvironmentVariable(variable, "set");
        try { (await KeyAsync(ModelProject.Open(copy))).ShouldNotBe(copiedFileChanged); }
        finally { Environment.SetEnvironmentVariable(variable, null); }

        await File.WriteAllTextAsync(Path.Combine(copy, "Helper.cs"), "static class Helper { }");
        var sourceAdded = await KeyAsync(ModelProject.Open(copy));
        sourceAdded.ShouldNotBe(copiedFileChanged);

        var csproj = Path.Combine(copy, "keyed.csproj");
        await File.WriteAllTextAsync(csproj, (await File.ReadAllTextAsync(csproj)).Replace("<Nullable>enable</Nullable>", "<Nullable>enable</Nullable><ServerGarbageCollection>true</ServerGarbageCollection>"));
        (await KeyAsync(ModelProject.Open(copy))).ShouldNotBe(sourceAdded);
    }

    [Fact]
    public async Task A_project_MSBuild_cannot_evaluate_has_no_key_and_a_reason()
    {
        var folder = Path.Combine(scratch, "broken");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "broken.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup>");
        var (key, why) = await BuildKey.ComputeAsync(ModelProject.Open(folder), CancellationToken.None);
        key.ShouldBeNull();
        why.ShouldNotBeNull().ShouldStartWith("MSBuild could not evaluate");
    }

    [Fact]
    public void The_cache_keeps_the_entries_used_last()
    {
        // Fake builds: an output folder of one file and an empty compiler command line are all Store reads.
        var output = Path.Combine(scratch, "fake-out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "program.dll"), "not a real assembly");
        var arguments = Path.Combine(scratch, "fake-arguments.json");
        File.WriteAllText(arguments, """{"Items":{"CscCommandLineArgs":[]}}""");
        var cache = Cache;
        var keys = Enumerable.Range(1, BuildCache.Keep + 2).Select(i => $"key{i}").ToList();
        foreach (var key in keys.Take(BuildCache.Keep))
        {
            cache.Store(key, scratch, output, arguments);
            Thread.Sleep(20); // distinct use times
        }
        cache.Find(keys[0]).ShouldNotBeNull(); // used again: now the newest
        Thread.Sleep(20);
        foreach (var key in keys.Skip(BuildCache.Keep)) { cache.Store(key, scratch, output, arguments); Thread.Sleep(20); }

        var kept = Directory.GetDirectories(cache.Root).Select(d => Path.GetFileName(d)!).Order().ToList();
        kept.ShouldBe(new[] { keys[0], keys[3], keys[4], keys[5] }.Order().ToList());
        File.ReadAllText(Path.Combine(cache.Find(keys[5]).ShouldNotBeNull().Folder, "out", "program.dll")).ShouldBe("not a real assembly");
    }

    [Fact]
    public void The_environment_turns_the_cache_off_or_moves_it()
    {
        BuildCache.FromSetting("off", null, "/home/u").ShouldBeNull();
        BuildCache.FromSetting(" 0 ", null, "/home/u").ShouldBeNull();
        BuildCache.FromSetting("false", "/x", "/home/u").ShouldBeNull();
        BuildCache.FromSetting("/srv/builds", "/x", "/home/u").ShouldNotBeNull().Root.ShouldBe("/srv/builds");
        BuildCache.FromSetting(null, "/x", "/home/u").ShouldNotBeNull().Root.ShouldBe("/x/autotune/builds");
        BuildCache.FromSetting("", null, "/home/u").ShouldNotBeNull().Root.ShouldBe("/home/u/.cache/autotune/builds");
    }

    private static async Task<string> KeyAsync(ModelProject project)
    {
        var (key, why) = await BuildKey.ComputeAsync(project, CancellationToken.None);
        return key.ShouldNotBeNull(why);
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}

// The build: restore, build, test, pack, and the sample job. Run through the pinned local tool:
//   dotnet tool restore && dotnet cake --target=Test
// Targets: Build, Test, Pack, Data (fetch both samples' data), Sample (fetch the data, then tune both samples with the tool).
// Pack also pushes the packages when NUGET_SOURCE names a feed (a URL, or a folder: a local feed), with
// NUGET_API_KEY when set: how a team publishes the tool its Jenkins agents install (docs/jenkins.md).

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var filter = Argument("filter", "");   // e.g. --filter="Category!=Integration" style traits: see Test

// NuGetSource: where Pack pushes ('' or null: nowhere). The API key is read where it is used, so printing the settings never shows it.
public sealed record BuildSettings(string Root, string Solution, string Artifacts, string Configuration, string NuGetSource);

BuildSettings settings = null;

Setup(context =>
{
    var root = context.Environment.WorkingDirectory.FullPath;
    if (!System.IO.File.Exists(System.IO.Path.Combine(root, "Autotune.slnx")))
        throw new Exception($"build.cake must run from the repository root (no Autotune.slnx in {root})");
    settings = new BuildSettings(root, "Autotune.slnx", System.IO.Path.Combine(root, "artifacts"), configuration,
                                 context.EnvironmentVariable("NUGET_SOURCE"));
    // dotnet nuget push to a folder that is not there fails only after the build, with "Could not find a part of the path".
    if (target == "Pack" && !string.IsNullOrEmpty(settings.NuGetSource) && !settings.NuGetSource.Contains("://") && !System.IO.Directory.Exists(settings.NuGetSource))
        throw new Exception($"NUGET_SOURCE {settings.NuGetSource} is neither a feed URL nor an existing folder: create the folder (a local feed) or give the feed's URL");
    Information($"Autotune build: {configuration}, repository {root}");
});

Task("Build")
    .Does(() =>
{
    DotNetBuild(settings.Solution, new DotNetBuildSettings { Configuration = settings.Configuration });
});

Task("Data")
    .Does(() =>
{
    // Real data sets, checksum-verified, cached outside the repository (never committed): MNIST for the
    // TorchSharp sample, Breast Cancer Wisconsin (from Debian's python3-sklearn .deb) for the ML.NET one.
    if (StartProcess("bash", "samples/mnist-cnn/fetch-mnist.sh") != 0)
        throw new Exception("could not fetch MNIST: see the line above");
    if (StartProcess("bash", "samples/tabular-breast-cancer/fetch-data.sh") != 0)
        throw new Exception("could not fetch the breast cancer data: see the line above");
});

Task("UnitAndIntegrationTests")
    .IsDependentOn("Build")
    .IsDependentOn("Data")
    .Does(() =>
{
    // xunit.v3 on Microsoft.Testing.Platform: options after `--` go to the test platform.
    var args = new ProcessArgumentBuilder().Append("--").Append("--no-progress");
    if (!string.IsNullOrEmpty(filter)) args.Append("--filter-not-trait").AppendQuoted(filter);
    DotNetTest(settings.Solution, new DotNetTestSettings
    {
        Configuration = settings.Configuration,
        NoBuild = true,
        ArgumentCustomization = a => a.Append(args.Render()),
    });
});

Task("PipelineTests")
    .Description("The Jenkins shared library: groovyc, the harness suites and the end-to-end pipeline on the real tool")
    .Does(() =>
{
    if (StartProcess("bash", "tests/pipeline/run.sh") != 0)
        throw new Exception("the Jenkins library tests failed: see above");
});

Task("Pack")
    .IsDependentOn("Build")
    .Does(() =>
{
    var packages = System.IO.Path.Combine(settings.Artifacts, "packages");
    // Emptied first, so the push below sends this build's packages and no older version left from an earlier one.
    CleanDirectory(packages);
    foreach (var project in new[] { "tool/Autotune/Autotune.csproj", "tool/Autotune.Sdk/Autotune.Sdk.csproj", "tool/Autotune.Sdk.TorchSharp/Autotune.Sdk.TorchSharp.csproj" })
        DotNetPack(project, new DotNetPackSettings
        {
            Configuration = settings.Configuration,
            NoBuild = true,
            OutputDirectory = packages,
        });
    if (string.IsNullOrEmpty(settings.NuGetSource))
    {
        Information("Pack: packages not pushed: NUGET_SOURCE is not set (a feed URL, or a folder for a local feed)");
        return;
    }
    var apiKey = EnvironmentVariable("NUGET_API_KEY");
    foreach (var package in GetFiles(System.IO.Path.Combine(packages, "*.nupkg")))
    {
        Information($"Pack: pushing {package.GetFilename()} to {settings.NuGetSource}{(string.IsNullOrEmpty(apiKey) ? "" : " with NUGET_API_KEY")}");
        // On a server feed a version it already has is skipped with a warning, not a failure: CI rebuilds the same
        // version until Directory.Build.props moves it on, and a published version is never replaced. A folder feed
        // has no such option (NuGet warns that it ignores it) and the push replaces the file.
        DotNetNuGetPush(package, new DotNetNuGetPushSettings
        {
            Source = settings.NuGetSource,
            ApiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey,
            SkipDuplicate = settings.NuGetSource.Contains("://"),
        });
    }
});

Task("Sample")
    .IsDependentOn("Build")
    .IsDependentOn("Data")
    .Does(() =>
{
    var tool = System.IO.Path.Combine("tool", "Autotune", "bin", settings.Configuration, "net10.0", "autotune.dll");
    // Tune the sample toward 99.0 % test accuracy from its block's values, which miss it (98.6 %, one conv
    // layer): the search adds capacity and retrains until it is reached. --no-apply keeps the repository's
    // Hyper.cs as committed (drop it to have the best values written back).
    var code = StartProcess("dotnet", new ProcessSettings { Arguments = $"{tool} run samples/mnist-cnn --target \"accuracy>=0.99\" --max-trials 8 --seed 42 --no-apply" });
    if (code != 0) throw new Exception($"autotune exited with {code}");
    // The ML.NET sample: its autotune.json sets the target (held-out AUC >= 0.99) and the budget.
    code = StartProcess("dotnet", new ProcessSettings { Arguments = $"{tool} run samples/tabular-breast-cancer --seed 5 --no-apply" });
    if (code != 0) throw new Exception($"autotune exited with {code} on samples/tabular-breast-cancer");
});

// Every suite: the xunit suites first, then the Jenkins library.
Task("Test")
    .IsDependentOn("UnitAndIntegrationTests")
    .IsDependentOn("PipelineTests");

RunTarget(target);

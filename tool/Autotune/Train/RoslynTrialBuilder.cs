using System.Diagnostics;
using System.Globalization;
using Autotune.Cli;
using Autotune.Native;

namespace Autotune.Train;

/// <summary>
/// The fast trial build. The first trial is built by `dotnet build`, which also reports the
/// compiler's command line; from then on the trial's sources are compiled in process by Roslyn
/// against that build's references, and the assembly is written next to links to that build's
/// output (deps.json, runtimeconfig.json, natives), so it runs with the same runtime configuration.
/// A project it cannot build the same way (source generators that add code, custom build targets,
/// signing) goes on with `dotnet build`, and the reason is one line of the trial log.
/// One instance serves one study: what the first build taught it is reused by every later trial.
/// With a <see cref="BuildCache"/>, that first build is filed, and a later study whose <see cref="BuildKey"/>
/// matches starts from it: its first trial is compiled in process too, without `dotnet build`.
/// </summary>
public sealed class RoslynTrialBuilder(ProjectBuilder? msbuild = null, BuildCache? cache = null) : ITrialBuilder
{
    /// <summary>The trial log line that says a trial was compiled in process.</summary>
    public const string CompiledNote = "autotune: fast build: compiled in process with Roslyn";
    /// <summary>The start of the trial log line that says why the fast build is not used.</summary>
    public const string FallbackNote = "autotune: fast build not used, building with dotnet build: ";
    /// <summary>The start of the trial log line that says the study starts from a filed build.</summary>
    public const string ReusedNote = "autotune: build cache: reused the build of an unchanged project";

    private readonly ProjectBuilder msbuild = msbuild ?? new ProjectBuilder();
    private CompilerSetup? setup;
    private TimeSpan keyTime;

    /// <summary>Why this study builds with `dotnet build`, once that is decided; null while the fast build is in use.</summary>
    public string? FallbackReason { get; private set; }

    /// <summary>The folder the in-process compiles write to: the build output's sibling.</summary>
    public static string FastFolder(string outputFolder) => Path.TrimEndingDirectorySeparator(outputFolder) + "-roslyn";

    /// <summary>Where a filed build is put for a study (hard links into the cache): never a folder `dotnet build` writes to.</summary>
    public static string CachedFolder(string outputFolder) => Path.TrimEndingDirectorySeparator(outputFolder) + "-cached";

    public async Task<BuiltProgram> BuildAsync(ModelProject project, string outputFolder, string logFile, CancellationToken cancel)
    {
        if (FallbackReason is null && setup is null) return await FirstBuildAsync(project, outputFolder, logFile, cancel);
        if (FallbackReason is not null) return await FallBackAsync(project, outputFolder, logFile, cancel, FallbackReason, announce: false);

        return await CompileAsync(project, outputFolder, logFile, cancel, prefix: []);
    }

    /// <summary>The fast build: the workspace's sources compiled in process into the fast folder.</summary>
    private async Task<BuiltProgram> CompileAsync(ModelProject project, string outputFolder, string logFile, CancellationToken cancel, IReadOnlyList<string> prefix)
    {
        var fast = FastFolder(outputFolder);
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var outcome = setup!.Compile(fast);
        if (outcome.Unsupported is { } reason)
        {
            FallbackReason = reason;
            return await FallBackAsync(project, outputFolder, logFile, cancel, reason, announce: true);
        }
        if (outcome.Errors.Count > 0)
        {
            var lines = outcome.Errors.Select(d => d.ToString()).Take(10).ToList();
            await File.WriteAllLinesAsync(logFile, lines, cancel);
            var first = outcome.Errors[0].Location.GetLineSpan();
            var where = first.IsValid ? $"{first.Path}:{first.StartLinePosition.Line + 1}:{first.StartLinePosition.Character + 1}" : project.ProjectFile;
            throw AutotuneException.Invalid($"{where}: the model project does not build ({outcome.Errors[0].Id}, in-process compile); full log: {logFile}",
                string.Join('\n', lines));
        }
        var patches = LibstdcxxVersionPatch.PatchFolder(fast);
        var note = string.Create(CultureInfo.InvariantCulture, $"{CompiledNote} in {outcome.Elapsed.TotalMilliseconds:F0} ms");
        await File.WriteAllLinesAsync(logFile, [.. prefix, note, .. patches.Select(p => "autotune: " + p)], cancel);
        foreach (var line in prefix) await AppendTrialLogAsync(logFile, line);
        await AppendTrialLogAsync(logFile, note);
        return new BuiltProgram(fast, Path.Combine(fast, setup.AssemblyFileName), outcome.Elapsed, patches);
    }

    /// <summary>`dotnet build` as usual, asking MSBuild for the compiler's command line; then the setup every later trial reuses.</summary>
    private async Task<BuiltProgram> FirstBuildAsync(ModelProject project, string outputFolder, string logFile, CancellationToken cancel)
    {
        if (CustomBuildTargets.FirstUnsupported(project) is { } custom)
        {
            FallbackReason = custom;
            return await FallBackAsync(project, outputFolder, logFile, cancel, custom, announce: true);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var warmUp = Task.Run(CompilerSetup.WarmUp); // beside the MSBuild process below, on another core
        string? key = null;
        var cacheNotes = new List<string>();
        if (cache is not null)
        {
            var clock0 = Stopwatch.StartNew();
            (key, var why) = await BuildKey.ComputeAsync(project, cancel);
            keyTime = clock0.Elapsed;
            if (key is null) cacheNotes.Add($"autotune: build cache not used: {why}");
            else if (cache.Find(key) is { } entry)
            {
                var (reused, problem) = await FromCacheAsync(entry, project, outputFolder, logFile, clock0, warmUp, cancel);
                if (reused is not null) return reused;
                cacheNotes.Add($"autotune: build cache entry {entry.Key} not used: {problem}; building with dotnet build");
            }
        }
        var argumentsFile = Path.Combine(Path.GetDirectoryName(logFile)!, "compiler-arguments.json");
        File.Delete(argumentsFile);
        // MSBuild reports the command line only when it compiles: a newer project file makes sure it does.
        File.SetLastWriteTimeUtc(project.ProjectFile, DateTime.UtcNow);
        var clock = Stopwatch.StartNew();
        var built = await msbuild.BuildAsync(project, outputFolder, logFile, cancel, argumentsFile);
        string note;
        await warmUp;
        try
        {
            var candidate = CompilerSetup.FromBuild(argumentsFile, project.Folder);
            // A check compile of the sources MSBuild just built: generators that add code, or any
            // disagreement with csc, show here, before a trial depends on it. It also warms Roslyn up.
            var check = candidate.Compile(outputFolder: null);
            if (check.Unsupported is not null) throw new FastBuildUnsupportedException(check.Unsupported);
            if (check.Errors.Count > 0)
                throw new FastBuildUnsupportedException($"the in-process compile disagrees with dotnet build: {check.Errors[0]}");
            MirrorOutput(outputFolder, FastFolder(outputFolder), candidate.AssemblyFileName);
            setup = candidate;
            note = string.Create(CultureInfo.InvariantCulture,
                $"autotune: fast build ready: later trials compile {candidate.SourceCount} source(s) in process against {candidate.ReferenceCount} reference(s) (set up in {clock.Elapsed.TotalSeconds:F1} s with this build)");
            if (cache is not null && key is not null) cacheNotes.Add(FileBuild(key, project, outputFolder, argumentsFile));
        }
        catch (Exception e) when (e is FastBuildUnsupportedException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException or BadImageFormatException)
        {
            FallbackReason = e.Message;
            note = FallbackNote + e.Message.ReplaceLineEndings(" ");
        }
        await File.AppendAllLinesAsync(logFile, [note, .. cacheNotes], cancel);
        foreach (var line in (string[])[note, .. cacheNotes]) await AppendTrialLogAsync(logFile, line);
        return built;
    }

    /// <summary>
    /// The study's first trial from a filed build: its output put beside the build folder, its command line set up,
    /// the trial compiled in process. No program, and why, when the entry cannot serve; then the
    /// study builds with `dotnet build` as if there were no cache, and a compile error is MSBuild's to report.
    /// </summary>
    private async Task<(BuiltProgram? Built, string? Problem)> FromCacheAsync(BuildCache.Entry entry, ModelProject project, string outputFolder, string logFile,
        Stopwatch clock, Task warmUp, CancellationToken cancel)
    {
        TimeSpan restored;
        try
        {
            var cached = CachedFolder(outputFolder);
            entry.RestoreInto(project.Folder, cached);
            restored = clock.Elapsed;
            await warmUp;
            var candidate = CompilerSetup.FromBuild(entry.ArgumentsFile, project.Folder);
            MirrorOutput(cached, FastFolder(outputFolder), candidate.AssemblyFileName);
            var check = candidate.Compile(outputFolder: null);
            if (check.Unsupported is not null) throw new FastBuildUnsupportedException(check.Unsupported);
            if (check.Errors.Count > 0) throw new FastBuildUnsupportedException($"the sources do not compile against it: {check.Errors[0]}");
            setup = candidate;
        }
        catch (Exception e) when (e is FastBuildUnsupportedException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException or BadImageFormatException)
        {
            setup = null;
            return (null, e.Message.ReplaceLineEndings(" "));
        }
        var note = string.Create(CultureInfo.InvariantCulture,
            $"{ReusedNote} (entry {entry.Key} in {cache!.Root}, ready in {clock.Elapsed.TotalSeconds:F1} s: key {keyTime.TotalSeconds:F1} s, restore {(restored - keyTime).TotalSeconds:F1} s, compiler set-up {(clock.Elapsed - restored).TotalSeconds:F1} s; {BuildCache.Variable}=off builds anew)");
        return (await CompileAsync(project, outputFolder, logFile, cancel, prefix: [note]), null);
    }

    /// <summary>Files this study's first build for the next study of the same project; the trial log line says so, or why not.</summary>
    private string FileBuild(string key, ModelProject project, string outputFolder, string argumentsFile)
    {
        try
        {
            cache!.Store(key, project.Folder, outputFolder, argumentsFile);
            return $"autotune: build cache: filed this build as entry {key} in {cache.Root}; the next study of an unchanged project starts from it";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
        {
            return $"autotune: build cache: this build was not filed: {e.Message.ReplaceLineEndings(" ")}";
        }
    }

    private async Task<BuiltProgram> FallBackAsync(ModelProject project, string outputFolder, string logFile, CancellationToken cancel, string reason, bool announce)
    {
        var built = await msbuild.BuildAsync(project, outputFolder, logFile, cancel);
        var note = FallbackNote + reason.ReplaceLineEndings(" ");
        await File.AppendAllLinesAsync(logFile, [note], cancel);
        // Every trial's log says how it was built; the first one that falls back says so loudest.
        await AppendTrialLogAsync(logFile, announce ? note : FallbackNote + "(as for the earlier trials) " + reason.ReplaceLineEndings(" "));
        return built;
    }

    /// <summary>
    /// The fast folder links to every file of the build output but the program's own assembly and pdb,
    /// which each compile writes: the runtime then finds the same deps.json, runtimeconfig.json and natives.
    /// </summary>
    private static void MirrorOutput(string outputFolder, string fastFolder, string assemblyFileName)
    {
        if (Directory.Exists(fastFolder)) Directory.Delete(fastFolder, recursive: true);
        Directory.CreateDirectory(fastFolder);
        var own = new HashSet<string>(StringComparer.Ordinal) { assemblyFileName, Path.ChangeExtension(assemblyFileName, ".pdb") };
        foreach (var entry in new DirectoryInfo(outputFolder).EnumerateFileSystemInfos())
        {
            if (own.Contains(entry.Name)) continue;
            var link = Path.Combine(fastFolder, entry.Name);
            if (entry is DirectoryInfo) Directory.CreateSymbolicLink(link, entry.FullName);
            else File.CreateSymbolicLink(link, entry.FullName);
        }
    }

    /// <summary>The trial log (trial.log beside build.log), where the supervisor then logs the run.</summary>
    private static Task AppendTrialLogAsync(string buildLog, string line) =>
        File.AppendAllLinesAsync(Path.Combine(Path.GetDirectoryName(buildLog)!, TrialSupervisor.LogFile), [$"{line}"]);
}

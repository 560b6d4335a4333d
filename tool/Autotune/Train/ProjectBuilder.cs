using System.Diagnostics;
using Autotune.Cli;
using Autotune.Native;

namespace Autotune.Train;

/// <summary>The program a build produced: the folder and the assembly to run with `dotnet`.</summary>
public sealed record BuiltProgram(string Folder, string Assembly, TimeSpan BuildTime, IReadOnlyList<string> Patches);

/// <summary>
/// Builds a model project with `dotnet build` into a folder of its own, then makes its TorchSharp
/// natives loadable on this host (the libstdc++ patch), whether or not the project knows of Autotune.
/// </summary>
public sealed partial class ProjectBuilder : ITrialBuilder
{
    public Task<BuiltProgram> BuildAsync(ModelProject project, string outputFolder, string logFile, CancellationToken cancel) =>
        BuildAsync(project, outputFolder, logFile, cancel, compilerArgumentsFile: null);

    /// <summary>
    /// With <paramref name="compilerArgumentsFile"/>, MSBuild also writes the compiler's command line
    /// (the CscCommandLineArgs items, as JSON) there: what the fast build compiles against. MSBuild only
    /// reports it when CoreCompile runs, which a changed project or source file ensures.
    /// </summary>
    internal async Task<BuiltProgram> BuildAsync(ModelProject project, string outputFolder, string logFile, CancellationToken cancel,
        string? compilerArgumentsFile)
    {
        MSBuildReadable(project.ProjectFile);
        Directory.CreateDirectory(outputFolder);
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "build", project.ProjectFile, "-c", "Release", "-o", outputFolder, "-nologo", "-v:minimal", "-clp:NoSummary" },
            WorkingDirectory = project.Folder,
        };
        if (compilerArgumentsFile is not null)
        {
            // -getItem alone only evaluates: -t:Build keeps it a build.
            foreach (var a in new[] { "-t:Build", "-p:ProvideCommandLineArgs=true", "-getItem:CscCommandLineArgs", "-getResultOutputFile:" + compilerArgumentsFile })
                start.ArgumentList.Add(a);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var lines = new List<string>();
        await using (var log = new StreamWriter(logFile, append: false))
        {
            var outcome = await ChildProcess.RunAsync(start, l => { lines.Add(l); log.WriteLine(l); }, TimeSpan.FromMinutes(10), null, cancel);
            if (outcome.ExitCode != 0)
            {
                var errors = lines.Where(l => l.Contains(": error ", StringComparison.Ordinal)).Distinct().Take(10).ToList();
                var detail = string.Join('\n', errors.Count > 0 ? errors : lines.TakeLast(15));
                var where = errors.Count > 0 ? FirstLocation(errors[0]) : project.ProjectFile;
                throw AutotuneException.Invalid($"{where}: the model project does not build (dotnet build exit {outcome.ExitCode}); full log: {logFile}", detail);
            }
            var program = FindProgram(project, outputFolder);
            var patches = LibstdcxxVersionPatch.PatchFolder(outputFolder);
            foreach (var p in patches) log.WriteLine("autotune: " + p);
            return new BuiltProgram(outputFolder, program, outcome.Elapsed, patches);
        }
    }

    /// <summary>
    /// MSBuild reads ';' in a path as a list separator, '%3B' (any '%' and two hex digits) as an escaped character
    /// and '*' or '?' as a wildcard, so a project under such a folder fails with errors about other paths: refuse it first.
    /// </summary>
    public static void MSBuildReadable(string projectFile)
    {
        var full = Path.GetFullPath(projectFile);
        var bad = full.IndexOfAny([';', '*', '?']) is var i and >= 0 ? $"'{full[i]}'"
            : MSBuildEscape().Match(full) is { Success: true } m ? $"'{m.Value}'" : null;
        if (bad is not null)
            throw AutotuneException.Invalid(
                $"{full}: the path holds {bad}, which MSBuild does not read as part of a path (';' separates, '%XX' escapes, '*' and '?' match): move the model to a folder without it, or link one to it and pass that");
    }

    [System.Text.RegularExpressions.GeneratedRegex("%[0-9A-Fa-f]{2}")]
    private static partial System.Text.RegularExpressions.Regex MSBuildEscape();

    /// <summary>The assembly with a runtimeconfig.json is the program; prefer the one named after the project.</summary>
    internal static string FindProgram(ModelProject project, string folder)
    {
        var programs = Directory.GetFiles(folder, "*.runtimeconfig.json")
            .Select(c => Path.Combine(folder, Path.GetFileName(c)[..^".runtimeconfig.json".Length] + ".dll"))
            .Where(File.Exists).ToList();
        return programs.FirstOrDefault(p => Path.GetFileNameWithoutExtension(p) == project.Name)
            ?? (programs.Count == 1 ? programs[0]
                : throw AutotuneException.Invalid($"{project.ProjectFile}: the build made no runnable program; model projects need <OutputType>Exe</OutputType>"));
    }

    /// <summary>"/x/Net.cs(12,5): error CS1002: ..." gives "/x/Net.cs:12:5".</summary>
    internal static string FirstLocation(string errorLine)
    {
        var open = errorLine.IndexOf('(');
        var close = errorLine.IndexOf(')');
        if (open <= 0 || close < open) return errorLine.Split(':')[0].Trim();
        return errorLine[..open].Trim() + ":" + errorLine[(open + 1)..close].Replace(',', ':');
    }
}

using Microsoft.CodeAnalysis;

namespace Autotune.Detect;

/// <summary>
/// Detect: reads a model folder at syntax level (nothing is built or loaded) and says what the model
/// is, what it needs and what can be tuned. Problems are collected, not thrown, so one run reports
/// all of them; the caller decides what an error means.
/// </summary>
public static class ModelDetector
{
    public static ModelProfile Detect(string modelDir)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelDir));
        var problems = new List<DetectProblem>();
        if (!Directory.Exists(root))
        {
            var kind = Files.PathKinds.Of(root);
            problems.Add(DetectProblem.Error(modelDir, 0, 0, kind == Files.PathKind.Missing
                ? "model folder does not exist: pass the folder of the model project"
                : $"is {Files.PathKinds.Words(kind)}, not a folder: pass the folder of the model project"));
            return Empty(root, problems);
        }
        var loaded = ModelSources.Load(root, problems);
        var files = Parse(loaded);
        if (loaded.Count == 0 && !problems.Any(p => p.IsError))
            problems.Add(DetectProblem.Error(modelDir, 0, 0, "holds no .cs files (bin/, obj/, dot-folders and generated files are skipped): pass the folder of the model project"));
        return Detect(root, files, problems);
    }

    /// <summary>Parses files in parallel; the order of the result is the order of the input.</summary>
    public static List<SourceFile> Parse(IReadOnlyList<ModelSources.Loaded> loaded)
    {
        var parsed = new SourceFile[loaded.Count];
        Parallel.For(0, loaded.Count, i => parsed[i] = SourceFile.Parse(loaded[i].Path, loaded[i].FullPath, loaded[i].Text));
        return parsed.ToList();
    }

    /// <summary>A file that is not C# at all has an error every few characters: the first ones say what is wrong, the rest only bury it.</summary>
    public const int SyntaxErrorsShownPerFile = 5;
    public const int FilesShownWithSyntaxErrors = 10;

    private static void AddSyntaxErrors(IReadOnlyList<SourceFile> files, List<DetectProblem> problems)
    {
        var broken = 0;
        foreach (var file in files)
        {
            var errors = file.Tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count == 0 || ++broken > FilesShownWithSyntaxErrors) continue;
            foreach (var d in errors.Take(SyntaxErrorsShownPerFile))
            {
                var at = d.Location.GetLineSpan().StartLinePosition;
                problems.Add(DetectProblem.Error(file.Path, at.Line + 1, at.Character + 1, $"syntax error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"));
            }
            if (errors.Count > SyntaxErrorsShownPerFile)
            {
                // At the first error not shown, so it sorts after the shown ones and says where the rest start.
                var next = errors[SyntaxErrorsShownPerFile].Location.GetLineSpan().StartLinePosition;
                problems.Add(DetectProblem.Error(file.Path, next.Line + 1, next.Character + 1, $"... and {errors.Count - SyntaxErrorsShownPerFile} more syntax error(s) from here on"));
            }
        }
        if (broken > FilesShownWithSyntaxErrors)
            problems.Add(DetectProblem.Error("", 0, 0, $"... and {broken - FilesShownWithSyntaxErrors} more file(s) with syntax errors"));
    }

    public static ModelProfile Detect(string root, IReadOnlyList<SourceFile> files, List<DetectProblem> problems)
    {
        AddSyntaxErrors(files, problems);
        var packages = FrameworkReader.ReadPackages(root, problems);
        // The readers are independent walks over immutable trees: run them side by side.
        var blockProblems = new List<DetectProblem>();
        var blockTask = Task.Run(() => HyperparameterBlockReader.Read(files, blockProblems));
        var deviceTask = Task.Run(() => DeviceReader.Read(files, packages));
        var framework = FrameworkReader.Read(files, packages);
        var architecture = ArchitectureReader.Read(files, framework.All);
        var entry = EntryPointReader.Read(files, problems);
        var written = WrittenFileReader.Read(files);
        var block = blockTask.GetAwaiter().GetResult();
        var device = deviceTask.GetAwaiter().GetResult();
        problems.AddRange(blockProblems);
        if (block is null && files.Count > 0)
            problems.Add(DetectProblem.Warning("", 0, 0, "no [Hyperparameters] class: there is nothing to tune yet; declare one (see autotune init)"));
        var image = ImageCatalogue.Load(root, problems).Choose(framework.Primary, device.ImageDevice);
        var lines = files.Sum(f => f.Text.Lines.Count);
        // A problem of no file (the count of files with more syntax errors) closes the list of errors.
        var ordered = problems.OrderBy(p => p.IsError ? 0 : 1).ThenBy(p => p.File.Length == 0 ? 1 : 0).ThenBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line).ThenBy(p => p.Column).ToList();
        return new ModelProfile(root, files.Count, lines, framework, architecture, device, entry, block, image, ordered, RuntimeVersions.Read(root), written);
    }

    private static ModelProfile Empty(string root, List<DetectProblem> problems) =>
        new(root, 0, 0, new FrameworkFinding(Framework.None, [], []), new ArchitectureFinding(Architecture.Other, new Dictionary<string, int>(), []),
            new DeviceFinding(false, true, []), null, null, new ImageCatalogue([]).Choose(Framework.None, "cpu"), problems);
}

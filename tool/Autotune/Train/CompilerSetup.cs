using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Autotune.Train;

/// <summary>What one in-process compile gave: the assembly written, compile errors, or why it cannot be trusted.</summary>
public sealed record CompileOutcome(bool Emitted, IReadOnlyList<Diagnostic> Errors, string? Unsupported, TimeSpan Elapsed);

/// <summary>
/// The compiler's command line of a project's `dotnet build` (what MSBuild hands csc), parsed once by
/// Roslyn's own csc parser, with its references loaded once: every later compile of the trial's
/// sources reuses them, so only the rewritten files are parsed again and only the binding is redone.
/// </summary>
public sealed class CompilerSetup
{
    private readonly CSharpCommandLineArguments arguments;
    private readonly ImmutableArray<MetadataReference> references;
    private GeneratorDriver? generators;
    private CSharpCompilation? previous;
    private readonly Dictionary<string, (SourceText Text, SyntaxTree Tree)> trees = new(StringComparer.Ordinal);

    private CompilerSetup(CSharpCommandLineArguments arguments, ImmutableArray<MetadataReference> references, GeneratorDriver? generators)
    {
        this.arguments = arguments;
        this.references = references;
        this.generators = generators;
    }

    public string AssemblyFileName => arguments.OutputFileName ?? arguments.CompilationName + ".dll";
    public int SourceCount => arguments.SourceFiles.Length;
    public int ReferenceCount => references.Length;

    /// <summary>
    /// Reads the CscCommandLineArgs items that `dotnet build -getItem:CscCommandLineArgs` wrote; throws
    /// <see cref="FastBuildUnsupportedException"/> with a one-line reason when they cannot be used.
    /// </summary>
    public static CompilerSetup FromBuild(string argumentsJsonFile, string projectFolder)
    {
        if (!File.Exists(argumentsJsonFile)) throw new FastBuildUnsupportedException("MSBuild wrote no compiler command line");
        using var json = JsonDocument.Parse(File.ReadAllText(argumentsJsonFile));
        var items = json.RootElement.TryGetProperty("Items", out var i) && i.TryGetProperty("CscCommandLineArgs", out var a)
            ? a.EnumerateArray().Select(e => e.GetProperty("Identity").GetString()!).ToList() : [];
        if (items.Count == 0)
            throw new FastBuildUnsupportedException("MSBuild reported no C# compiler command line (not a C# project, or the compile step did not run)");
        // The items are csc's arguments as MSBuild quoted them; split the way a response file is split.
        var args = CommandLineParser.SplitCommandLineIntoArguments(string.Join(' ', items.Select(Quote)), removeHashComments: false);
        var sdk = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var parsed = CSharpCommandLineParser.Default.Parse(args, projectFolder, sdk);
        if (parsed.Errors.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error)
            throw new FastBuildUnsupportedException($"the compiler command line does not parse in process: {error.GetMessage()}");
        if (parsed.CompilationOptions.CryptoKeyFile is not null || parsed.CompilationOptions.CryptoKeyContainer is not null)
            throw new FastBuildUnsupportedException("the assembly is strong-name signed");
        if (parsed.Win32ResourceFile is not null || parsed.Win32Icon is not null || parsed.Win32Manifest is not null)
            throw new FastBuildUnsupportedException("the project embeds Win32 resources");

        var refs = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var r in parsed.MetadataReferences)
        {
            if (!File.Exists(r.Reference)) throw new FastBuildUnsupportedException($"reference {r.Reference} does not exist");
            refs.Add(MetadataReference.CreateFromFile(r.Reference, r.Properties));
        }
        var generators = Generators(parsed);
        return new CompilerSetup(parsed, refs.ToImmutable(), generators);
    }

    /// <summary>
    /// Parses, binds and emits a few lines once, so the JIT has compiled Roslyn's parser, binder and emitter before a
    /// trial waits on them: started beside the first build (or the build key's MSBuild run), it costs that trial nothing.
    /// </summary>
    public static void WarmUp()
    {
        try
        {
            var tree = CSharpSyntaxTree.ParseText("using System.Linq; static class W { static int M(int[] a) => a.Where(x => x > 1).Select(x => x * 2).Sum(); }");
            var references = new[] { typeof(object), typeof(Enumerable) }.Select(t => MetadataReference.CreateFromFile(t.Assembly.Location));
            var compilation = CSharpCompilation.Create("autotune-warm-up", [tree], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            using var pe = new MemoryStream();
            compilation.Emit(pe);
        }
        catch (Exception) { } // only ever a head start: the real compile reports what is wrong
    }

    /// <summary>
    /// Compiles the project's sources as they are on disk now. With <paramref name="outputFolder"/> the
    /// assembly (and its pdb) is written there; without, it is only checked. A source generator that
    /// adds code makes the outcome <see cref="CompileOutcome.Unsupported"/>: only MSBuild runs it as the build would.
    /// </summary>
    public CompileOutcome Compile(string? outputFolder)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var current = arguments.SourceFiles.Select(f => Tree(f.Path)).ToList();
        CSharpCompilation compilation;
        if (previous is null)
        {
            compilation = CSharpCompilation.Create(arguments.CompilationName, current, references, Options());
        }
        else
        {
            // Replacing only the changed trees keeps the bound references of the previous compile.
            compilation = previous;
            var old = previous.SyntaxTrees.ToList();
            for (var k = 0; k < current.Count; k++)
                if (!ReferenceEquals(old[k], current[k])) compilation = compilation.ReplaceSyntaxTree(old[k], current[k]);
        }
        previous = compilation;

        if (generators is not null)
        {
            generators = generators.RunGenerators(compilation);
            var run = generators.GetRunResult();
            var generated = run.Results.FirstOrDefault(r => r.GeneratedSources.Length > 0);
            if (generated.Generator is not null)
                return new CompileOutcome(false, [], $"source generator {GeneratorName(generated.Generator)} generates code ({generated.GeneratedSources[0].HintName})", clock.Elapsed);
            var failed = run.Results.FirstOrDefault(r => r.Exception is not null);
            if (failed.Generator is not null)
                return new CompileOutcome(false, [], $"source generator {GeneratorName(failed.Generator)} failed in process: {failed.Exception!.Message}", clock.Elapsed);
        }

        if (outputFolder is null)
        {
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            return new CompileOutcome(false, errors, null, clock.Elapsed);
        }

        var assembly = Path.Combine(outputFolder, AssemblyFileName);
        var pdbFile = Path.ChangeExtension(assembly, ".pdb");
        var writePdb = arguments.EmitPdb && arguments.EmitOptions.DebugInformationFormat != DebugInformationFormat.Embedded;
        using var pe = new MemoryStream();
        using var pdb = writePdb ? new MemoryStream() : null;
        using var win32 = compilation.CreateDefaultWin32Resources(versionResource: true, noManifest: arguments.NoWin32Manifest, manifestContents: null, iconInIcoFormat: null);
        var embedded = arguments.EmbeddedFiles.Select(f => EmbeddedText.FromSource(f.Path, Tree(f.Path).GetText())).ToList();
        var result = compilation.Emit(pe, pdb, win32Resources: win32, manifestResources: arguments.ManifestResources,
            options: writePdb ? arguments.EmitOptions.WithPdbFilePath(pdbFile) : arguments.EmitOptions, embeddedTexts: embedded);
        var failures = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (!result.Success) return new CompileOutcome(false, failures, null, clock.Elapsed);
        WriteIfChanged(assembly, pe);
        if (pdb is not null) WriteIfChanged(pdbFile, pdb);
        return new CompileOutcome(true, [], null, clock.Elapsed);
    }

    private CSharpCompilationOptions Options() => arguments.CompilationOptions
        // What csc itself sets before compiling: file-based resolvers and the default identity comparer.
        .WithMetadataReferenceResolver(new MetadataReferenceResolverFromPaths())
        .WithSourceReferenceResolver(new SourceFileResolver(arguments.SourcePaths, arguments.BaseDirectory, arguments.PathMap))
        .WithXmlReferenceResolver(new XmlFileResolver(arguments.BaseDirectory))
        .WithStrongNameProvider(new DesktopStrongNameProvider(arguments.KeyFileSearchPaths))
        .WithAssemblyIdentityComparer(AssemblyIdentityComparer.Default);

    /// <summary>The same tree object while a file's text is unchanged, so unchanged files are neither parsed nor rebound.</summary>
    private SyntaxTree Tree(string path)
    {
        SourceText text;
        using (var stream = File.OpenRead(path))
            text = SourceText.From(stream, arguments.Encoding, arguments.ChecksumAlgorithm, throwIfBinaryDetected: true, canBeEmbedded: true);
        if (trees.TryGetValue(path, out var known) && known.Text.ContentEquals(text)) return known.Tree;
        var tree = CSharpSyntaxTree.ParseText(text, arguments.ParseOptions, path);
        trees[path] = (text, tree);
        return tree;
    }

    /// <summary>An unchanged assembly keeps its file (and its time stamp), as MSBuild's copy would.</summary>
    private static void WriteIfChanged(string path, MemoryStream content)
    {
        var bytes = content.ToArray();
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes)) return;
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The source generators among the analyzers, loaded apart from the tool's own assemblies.</summary>
    private static GeneratorDriver? Generators(CSharpCommandLineArguments parsed)
    {
        if (parsed.AnalyzerReferences.Length == 0) return null;
        var loader = new AnalyzerLoader();
        foreach (var a in parsed.AnalyzerReferences) loader.AddDependencyLocation(Path.GetFullPath(a.FilePath, parsed.BaseDirectory!));
        var found = new List<ISourceGenerator>();
        foreach (var a in parsed.AnalyzerReferences)
        {
            var reference = new AnalyzerFileReference(Path.GetFullPath(a.FilePath, parsed.BaseDirectory!), loader);
            found.AddRange(reference.GetGenerators(LanguageNames.CSharp));
        }
        return found.Count == 0 ? null
            : CSharpGeneratorDriver.Create(found, additionalTexts: null, parseOptions: parsed.ParseOptions, optionsProvider: BuildProperties.Read(parsed.AnalyzerConfigPaths));
    }

    private static string GeneratorName(ISourceGenerator generator) => generator.GetGeneratorType().FullName ?? generator.GetType().Name;

    private static string Quote(string argument) =>
        argument.Contains('"') || !argument.Any(char.IsWhiteSpace) ? argument : "\"" + argument + "\"";

    /// <summary>Loads analyzer assemblies into a context of their own; Roslyn itself comes from the tool's.</summary>
    private sealed class AnalyzerLoader : IAnalyzerAssemblyLoader
    {
        private readonly Dictionary<string, string> byName = new(StringComparer.OrdinalIgnoreCase);
        private readonly AssemblyLoadContext context;

        public AnalyzerLoader()
        {
            context = new AssemblyLoadContext("autotune-analyzers", isCollectible: false);
            context.Resolving += (ctx, name) => name.Name is { } n && byName.TryGetValue(n, out var p) ? ctx.LoadFromAssemblyPath(p) : null;
        }

        public void AddDependencyLocation(string fullPath) => byName.TryAdd(Path.GetFileNameWithoutExtension(fullPath), fullPath);

        public Assembly LoadFromPath(string fullPath)
        {
            var name = AssemblyName.GetAssemblyName(fullPath);
            // An assembly the tool already has (Roslyn, System.*) is shared, not loaded twice.
            var shared = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(x => x.GetName().Name == name.Name);
            return shared ?? context.LoadFromAssemblyPath(fullPath);
        }
    }

    /// <summary>
    /// The build properties MSBuild hands generators (build_property.* in the global analyzer configs),
    /// so a generator that only runs when a property is set sees it here too. Per-file options are not read.
    /// </summary>
    private sealed class BuildProperties(Dictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        private static readonly AnalyzerConfigOptions Empty = new Options([]);
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(values);
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Empty;

        public static BuildProperties Read(IEnumerable<string> configFiles)
        {
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var file in configFiles.Where(File.Exists))
            {
                var lines = File.ReadAllLines(file);
                if (!lines.Any(l => l.Replace(" ", "").Equals("is_global=true", StringComparison.OrdinalIgnoreCase))) continue;
                foreach (var line in lines)
                {
                    var eq = line.IndexOf('=');
                    if (eq <= 0 || line.TrimStart().StartsWith('#') || line.TrimStart().StartsWith('[')) continue;
                    values[line[..eq].Trim()] = line[(eq + 1)..].Trim();
                }
            }
            return new BuildProperties(values);
        }

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }

    /// <summary>csc's resolver for #r directives (absent from model programs, but csc sets one).</summary>
    private sealed class MetadataReferenceResolverFromPaths : MetadataReferenceResolver
    {
        public override bool Equals(object? other) => other is MetadataReferenceResolverFromPaths;
        public override int GetHashCode() => 1;
        public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) => [];
    }
}

/// <summary>The fast build cannot build this project as `dotnet build` would; the message says why, in one line.</summary>
public sealed class FastBuildUnsupportedException(string reason) : Exception(reason);

using System.Text.RegularExpressions;
using Autotune.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Autotune.Tests.Rewrite;

/// <summary>Model code without a block for init: the fixtures, the MNIST sample with its block inlined, and a real compiler.</summary>
internal static partial class InitFixtures
{
    public static string Model(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Init", name);

    /// <summary>The sample as someone who never heard of autotune would write it: every Hyper.X replaced by its literal, Hyper.cs gone.</summary>
    public static void WriteSampleWithoutBlock(string folder)
    {
        var values = new Dictionary<string, string>();
        foreach (Match m in BlockLine().Matches(File.ReadAllText(Path.Combine(Mnist.SampleFolder, "Hyper.cs"))))
            values[m.Groups["name"].Value] = m.Groups["value"].Value;
        // The sample starts from one conv layer; a literal 1 would be one of the loop's many 1s, which init
        // rightly leaves alone. Written by hand, such a program would have its layer count apart: take 2.
        values["ConvLayers"] = "2";
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Mnist.SampleFolder))
        {
            var name = Path.GetFileName(file);
            if (name == "Hyper.cs" || !(name.EndsWith(".cs", StringComparison.Ordinal) || name.EndsWith(".csproj", StringComparison.Ordinal))) continue;
            var text = File.ReadAllText(file);
            if (name.EndsWith(".cs", StringComparison.Ordinal))
            {
                text = Regex.Replace(text, @"\{Hyper\.(\w+)\}", m => values[m.Groups[1].Value].Trim('"'));
                text = Regex.Replace(text, @"Hyper\.(\w+)", m => values[m.Groups[1].Value]);
            }
            else text = Autotune.Train.TrialWorkspace.AbsolutePaths(text, Mnist.SampleFolder);
            File.WriteAllText(Path.Combine(folder, name), text);
        }
    }

    [GeneratedRegex(@"public const \w+\s+(?<name>\w+)\s*=\s*(?<value>[^;]+);")]
    private static partial Regex BlockLine();

    /// <summary>
    /// Compiles the .cs files of a folder against the runtime's assemblies and TorchSharp (the
    /// packages ML.NET needs are not restored here) and returns the errors, "id: message" each.
    /// </summary>
    public static List<string> CompileErrors(string folder) =>
        Compile(folder, "Lifted", withTorchSharp: true).GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => $"{d.Id}: {d.GetMessage()}").ToList();

    /// <summary>The .cs files of a folder with the implicit usings, against the runtime's assemblies (and TorchSharp when asked).</summary>
    private static CSharpCompilation Compile(string folder, string name, bool withTorchSharp)
    {
        var trees = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), new CSharpParseOptions(LanguageVersion.Latest), f))
            .Append(CSharpSyntaxTree.ParseText("global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Threading.Tasks;"))
            .ToList();
        var assemblies = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll");
        if (withTorchSharp) assemblies = assemblies.Append(TorchSharpAssembly);
        return CSharpCompilation.Create(name, trees, assemblies.Select(p => MetadataReference.CreateFromFile(p)),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>Compiles the .cs files of a folder (no TorchSharp) and runs the program: its exit code, or the compile errors as an exception.</summary>
    public static int RunProgram(string folder)
    {
        var compilation = Compile(folder, "Run" + Guid.NewGuid().ToString("N"), withTorchSharp: false);
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
            throw new InvalidOperationException(string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var entry = System.Reflection.Assembly.Load(image.ToArray()).EntryPoint!;
        return (int)entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()])!;
    }

    /// <summary>Lifts one Program.cs written into a new folder; the folder goes with the returned handle.</summary>
    public static (Autotune.Rewrite.Init.InitPlan Plan, Autotune.Tests.Detect.Fixtures.TempFolder Temp) Lift(string program)
    {
        var temp = new Autotune.Tests.Detect.Fixtures.TempFolder();
        File.WriteAllText(Path.Combine(temp.Path, "Program.cs"), program);
        return (Autotune.Rewrite.Init.InitLifter.Lift(temp.Path), temp);
    }

    private static string TorchSharpAssembly =>
        Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"), "torchsharp", "0.107.0", "lib", "net8.0", "TorchSharp.dll");
}

using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autotune.Detect;

/// <summary>
/// Which ML framework the model uses, from its usings (aliases and <c>using static</c> included),
/// fully qualified names in the code, and the PackageReferences of its project file.
/// Code outranks packages (a reference nobody uses says little); among frameworks seen in code,
/// the one that trains wins: TorchSharp, TensorFlow.NET, ML.NET, then ONNX Runtime (inference only).
/// </summary>
public static class FrameworkReader
{
    private static readonly Framework[] Precedence = [Framework.TorchSharp, Framework.TensorFlowNet, Framework.MlNet, Framework.OnnxRuntime];
    private static readonly HashSet<string> Roots = new(StringComparer.Ordinal) { "TorchSharp", "Tensorflow", "Microsoft", "Keras" };

    /// <summary>The framework a namespace or type name belongs to, if any.</summary>
    public static Framework? Classify(string dottedName)
    {
        var n = dottedName.Replace(" ", "", StringComparison.Ordinal);
        if (n.StartsWith("global::", StringComparison.Ordinal)) n = n["global::".Length..];
        static bool Under(string name, string ns) => name == ns || name.StartsWith(ns + ".", StringComparison.Ordinal);
        if (Under(n, "TorchSharp")) return Framework.TorchSharp;
        if (Under(n, "Microsoft.ML.OnnxRuntime")) return Framework.OnnxRuntime;
        if (Under(n, "Microsoft.ML")) return Framework.MlNet;
        if (Under(n, "Tensorflow") || Under(n, "Keras")) return Framework.TensorFlowNet;
        return null;
    }

    /// <summary>The framework a NuGet package belongs to, and whether it is a CUDA build.</summary>
    public static (Framework? Framework, bool Cuda) ClassifyPackage(string id)
    {
        var p = id.ToLowerInvariant();
        if (p.StartsWith("torchsharp", StringComparison.Ordinal) || p.StartsWith("libtorch-", StringComparison.Ordinal))
            return (Framework.TorchSharp, p.Contains("cuda", StringComparison.Ordinal));
        if (p.StartsWith("microsoft.ml.onnxruntime", StringComparison.Ordinal))
            return (Framework.OnnxRuntime, p.Contains(".gpu", StringComparison.Ordinal));
        if (p == "microsoft.ml" || p.StartsWith("microsoft.ml.", StringComparison.Ordinal))
            return (Framework.MlNet, p.Contains("gpu", StringComparison.Ordinal));
        if (p.StartsWith("tensorflow.", StringComparison.Ordinal) || p.StartsWith("scisharp.tensorflow", StringComparison.Ordinal))
            return (Framework.TensorFlowNet, p.Contains("gpu", StringComparison.Ordinal));
        return (null, false);
    }

    public sealed record PackageReference(string File, int Line, string Id);

    /// <summary>PackageReferences of the .csproj files directly in the model folder.</summary>
    public static List<PackageReference> ReadPackages(string modelDir, List<DetectProblem> problems)
    {
        var result = new List<PackageReference>();
        if (!Directory.Exists(modelDir)) return result;
        foreach (var project in Directory.GetFiles(modelDir, "*.csproj").Order(StringComparer.Ordinal))
        {
            var rel = ModelSources.Relative(modelDir, project);
            if (Files.PathKinds.Of(project) is var kind && kind != Files.PathKind.File)
            {
                problems.Add(DetectProblem.Error(rel, 0, 0, $"is {Files.PathKinds.Words(kind)}, not a regular file: replace it with the project file itself"));
                continue;
            }
            try
            {
                var doc = XDocument.Load(project, LoadOptions.SetLineInfo);
                foreach (var e in doc.Descendants().Where(e => e.Name.LocalName == "PackageReference"))
                    if (((string?)e.Attribute("Include") ?? (string?)e.Attribute("Update")) is { } id)
                        result.Add(new PackageReference(rel, ((IXmlLineInfo)e).LineNumber, id));
            }
            catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
            {
                problems.Add(DetectProblem.Warning(rel, (e as XmlException)?.LineNumber ?? 0, 0, $"cannot read the project file ({e.Message}); its package references are ignored"));
            }
        }
        return result;
    }

    public static FrameworkFinding Read(IReadOnlyList<SourceFile> files, IReadOnlyList<PackageReference> packages)
    {
        var code = new Dictionary<Framework, List<Evidence>>();
        var fromPackages = new Dictionary<Framework, List<Evidence>>();
        void Add(Dictionary<Framework, List<Evidence>> map, Framework f, Evidence e)
        {
            if (!map.TryGetValue(f, out var list)) map[f] = list = [];
            if (list.Count < 5) list.Add(e);
        }
        foreach (var file in files)
        {
            foreach (var u in file.Root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax).OfType<UsingDirectiveSyntax>())
                if (Classify(u.NamespaceOrType.ToString()) is { } f)
                    Add(code, f, file.At(u, u.ToString().Trim()));
            foreach (var id in file.Root.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (!Roots.Contains(id.Identifier.ValueText) || id.Ancestors().Any(a => a is UsingDirectiveSyntax)) continue;
                // Only the leftmost name of a qualified chain; climb to the whole chain to classify it.
                SyntaxNodeOrSelf(id, out var chain);
                if (Classify(chain.ToString()) is { } f) Add(code, f, file.At(chain, $"fully qualified {Shorten(chain.ToString())}"));
            }
        }
        foreach (var p in packages)
            if (ClassifyPackage(p.Id).Framework is { } f) Add(fromPackages, f, new Evidence(p.File, p.Line, $"PackageReference {p.Id}"));

        var all = Precedence.Where(code.ContainsKey).Concat(Precedence.Where(f => !code.ContainsKey(f) && fromPackages.ContainsKey(f))).ToList();
        if (all.Count == 0) return new FrameworkFinding(Framework.None, [], []);
        var primary = all[0];
        var evidence = code.GetValueOrDefault(primary, []).Concat(fromPackages.GetValueOrDefault(primary, [])).ToList();
        return new FrameworkFinding(primary, all, evidence);
    }

    private static void SyntaxNodeOrSelf(IdentifierNameSyntax id, out Microsoft.CodeAnalysis.SyntaxNode chain)
    {
        Microsoft.CodeAnalysis.SyntaxNode node = id;
        if (node.Parent is AliasQualifiedNameSyntax aq && aq.Name == node) node = aq;
        while (node.Parent is QualifiedNameSyntax q && q.Left == node || node.Parent is MemberAccessExpressionSyntax m && m.Expression == node)
            node = node.Parent!;
        chain = node;
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autotune.Detect;

/// <summary>Where the program that trains starts: the file with top-level statements, or a <c>static Main</c>.</summary>
public static class EntryPointReader
{
    public static EntryPoint? Read(IReadOnlyList<SourceFile> files, List<DetectProblem> problems)
    {
        var found = new List<EntryPoint>();
        foreach (var file in files)
        {
            if (file.Root.Members.OfType<GlobalStatementSyntax>().FirstOrDefault() is { } first)
                found.Add(new EntryPoint(file.Path, file.LineOf(first), "top-level statements"));
            foreach (var main in file.Root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax)
                         .OfType<MethodDeclarationSyntax>()
                         .Where(m => m.Identifier.ValueText == "Main" && m.Modifiers.Any(SyntaxKind.StaticKeyword)))
                found.Add(new EntryPoint(file.Path, file.LineOf(main), "static Main"));
        }
        if (found.Count == 0)
        {
            problems.Add(DetectProblem.Warning("", 0, 0, "no entry point found (no top-level statements, no static Main): autotune runs the model as a program; add one that trains"));
            return null;
        }
        if (found.Count > 1)
            problems.Add(DetectProblem.Warning(found[1].File, found[1].Line, 0,
                $"{found.Count} entry points ({string.Join(", ", found.Select(e => $"{e.File}:{e.Line}"))}); the first is assumed: set <StartupObject> in the project so the build agrees"));
        return found[0];
    }
}

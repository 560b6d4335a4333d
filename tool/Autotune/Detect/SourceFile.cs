using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Autotune.Detect;

/// <summary>One parsed C# file of the model: its path relative to the model folder ('/'-separated) and its syntax tree.</summary>
public sealed record SourceFile(string Path, string FullPath, SyntaxTree Tree)
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview, DocumentationMode.None);

    public SourceText Text => Tree.GetText();
    public Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax Root => (Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax)Tree.GetRoot();

    public static SourceFile Parse(string path, string fullPath, string text) =>
        new(path, fullPath, CSharpSyntaxTree.ParseText(SourceText.From(text), ParseOptions, fullPath));

    /// <summary>1-based line of a position.</summary>
    public int LineOf(int position) => Tree.GetLineSpan(new TextSpan(position, 0)).StartLinePosition.Line + 1;

    public int LineOf(SyntaxNode node) => LineOf(node.SpanStart);

    public Evidence At(SyntaxNode node, string why) => new(Path, LineOf(node), why);
}


using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autotune.Detect;

/// <summary>
/// The .csv and .jsonl files a program writes by a path relative to the folder it runs in: a program
/// without the SDK often logs its epochs to one (as Keras' CSVLogger does) and prints little. The path
/// is a string literal handed to a File method that writes, to <c>new StreamWriter</c>, or to a
/// <c>FileStream</c>/<c>File.Open</c> opened for writing: directly, through a local, const, field or
/// property initialised with it, or as the last part of <c>Path.Combine</c>. A file only read is not
/// taken, nor an absolute path or one with "..": a program's metrics file lies in its own folder.
/// </summary>
public static class WrittenFileReader
{
    private static readonly HashSet<string> FileWrites = new(StringComparer.Ordinal)
    {
        "AppendAllText", "AppendAllTextAsync", "AppendAllLines", "AppendAllLinesAsync", "WriteAllText", "WriteAllTextAsync",
        "WriteAllLines", "WriteAllLinesAsync", "AppendText", "CreateText", "Create", "OpenWrite",
    };

    // File.Open and new FileStream write only when their mode or access says so.
    private static readonly HashSet<string> WritingModes = new(StringComparer.Ordinal) { "Append", "Create", "CreateNew", "Truncate", "Write", "ReadWrite" };

    private static readonly string[] Extensions = [".csv", ".jsonl"];

    public static IReadOnlyList<WrittenFile> Read(IReadOnlyList<SourceFile> files)
    {
        var named = Initialisers(files);
        var found = new List<WrittenFile>();
        foreach (var file in files)
            foreach (var node in file.Root.DescendantNodes())
            {
                var (how, target) = Write(node);
                if (target is null || PathOf(target, named, depth: 0) is not { Length: > 0 } path || !IsDataFileHere(path)) continue;
                path = Normalise(path);
                if (found.All(f => f.Path != path)) found.Add(new WrittenFile(path, file.At(node, $"{how} writes \"{path}\"")));
            }
        return found;
    }

    /// <summary>The call or creation that writes a file, and the expression that names it; (null, null) for anything else.</summary>
    private static (string? How, ExpressionSyntax? Path) Write(SyntaxNode node)
    {
        switch (node)
        {
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax m } call
                when ConstantReader.LastName(m.Expression) == "File" && call.ArgumentList.Arguments.Count > 0:
                var method = m.Name.Identifier.ValueText;
                var writes = FileWrites.Contains(method) || method == "Open" && OpensForWriting(call.ArgumentList);
                return writes ? ($"File.{method}", call.ArgumentList.Arguments[0].Expression) : (null, null);
            case BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: > 0 } create:
                var type = create switch
                {
                    ObjectCreationExpressionSyntax o => ConstantReader.LastName(o.Type),
                    ImplicitObjectCreationExpressionSyntax => create.Parent?.Parent?.Parent is VariableDeclarationSyntax d ? ConstantReader.LastName(d.Type) : null,
                    _ => null,
                };
                var written = type == "StreamWriter" || type == "FileStream" && OpensForWriting(create.ArgumentList!);
                return written ? ($"new {type}", create.ArgumentList!.Arguments[0].Expression) : (null, null);
            default:
                return (null, null);
        }
    }

    /// <summary>FileMode.Append/Create/CreateNew/Truncate or FileAccess.Write/ReadWrite among the arguments (FileStreamOptions included).</summary>
    private static bool OpensForWriting(ArgumentListSyntax arguments) =>
        arguments.Arguments.Skip(1).SelectMany(a => a.DescendantNodesAndSelf()).OfType<MemberAccessExpressionSyntax>()
            .Any(m => ConstantReader.LastName(m.Expression) is "FileMode" or "FileAccess" && WritingModes.Contains(m.Name.Identifier.ValueText));

    /// <summary>
    /// The relative path an expression names, "" for the folder the program runs in, null when it cannot be
    /// told without running the program (an argument, an environment variable, a computed string).
    /// </summary>
    private static string? PathOf(ExpressionSyntax e, IReadOnlyDictionary<string, List<ExpressionSyntax>> named, int depth)
    {
        if (depth > 8) return null; // a name that refers to itself
        while (e is ParenthesizedExpressionSyntax p) e = p.Expression;
        switch (e)
        {
            case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } s:
                return s.Token.ValueText;
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Combine" } m } call
                when ConstantReader.LastName(m.Expression) == "Path" && call.ArgumentList.Arguments.Count > 0:
                var parts = call.ArgumentList.Arguments.Select(a => PathOf(a.Expression, named, depth + 1)).ToList();
                if (parts.Any(part => part is null)) return null;
                // Path.Combine starts again at a rooted part, as the program would.
                var from = parts.FindLastIndex(part => IsRooted(part!));
                return string.Join('/', parts.Skip(Math.Max(0, from)).Where(part => part!.Length > 0));
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetCurrentDirectory" } d }
                when ConstantReader.LastName(d.Expression) == "Directory":
                return "";
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "BaseDirectory" or "CurrentDirectory" } here
                when here.Expression.ToString() is "AppContext" or "System.AppContext" or "Environment" or "System.Environment" or "AppDomain.CurrentDomain":
                return ""; // the program runs in the folder it is built to
            case IdentifierNameSyntax or MemberAccessExpressionSyntax:
                if (ConstantReader.LastName(e) is not { } name || !named.TryGetValue(name, out var initialisers)) return null;
                var values = initialisers.Select(i => PathOf(i, named, depth + 1)).Distinct().ToList();
                return values.Count == 1 ? values[0] : null; // two different values under one name: not told without running it
            default:
                return null;
        }
    }

    /// <summary>Every local, field, const and property initialised in the code, by name (syntax level: the name is all there is).</summary>
    private static Dictionary<string, List<ExpressionSyntax>> Initialisers(IReadOnlyList<SourceFile> files)
    {
        var named = new Dictionary<string, List<ExpressionSyntax>>(StringComparer.Ordinal);
        void Add(string name, ExpressionSyntax value)
        {
            if (!named.TryGetValue(name, out var list)) named[name] = list = [];
            list.Add(value);
        }
        foreach (var file in files)
            foreach (var node in file.Root.DescendantNodes())
                switch (node)
                {
                    case VariableDeclaratorSyntax { Initializer.Value: { } value } v: Add(v.Identifier.ValueText, value); break;
                    case PropertyDeclarationSyntax { Initializer.Value: { } value } p: Add(p.Identifier.ValueText, value); break;
                    case PropertyDeclarationSyntax { ExpressionBody.Expression: { } value } p: Add(p.Identifier.ValueText, value); break;
                }
        return named;
    }

    private static bool IsDataFileHere(string path) =>
        Extensions.Any(x => path.EndsWith(x, StringComparison.OrdinalIgnoreCase))
        && !IsRooted(path)
        && !path.Split('/', '\\').Contains("..");

    private static bool IsRooted(string path) =>
        path.StartsWith('/') || path.StartsWith('\\') || path.StartsWith('~') || path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':';

    /// <summary>'/'-separated, without "./" parts: "./logs\\metrics.csv" is "logs/metrics.csv".</summary>
    private static string Normalise(string path) =>
        string.Join('/', path.Split('/', '\\').Where(part => part.Length > 0 && part != "."));
}

using System.Text;
using Autotune.Cli;
using Autotune.Detect;
using Autotune.Search;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Autotune.Rewrite;

/// <summary>A planned rewrite of one file: its text before and after (equal when the values are already there).</summary>
public sealed record Rewrite(string Path, string Before, string After)
{
    public bool Changes => !string.Equals(Before, After, StringComparison.Ordinal);
}

/// <summary>
/// Writes an assignment into the block Detect located: renders the block from its template with the
/// values as C# literals, splices it into exactly the block's span (every other character, line
/// ending and the BOM stay as they were), parses the result again and refuses it if anything new is
/// wrong or anything outside the block parses differently, and writes the file atomically.
/// </summary>
public static class BlockRewriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The source with the block rendered for <paramref name="values"/> (a subset of the block's
    /// parameters; the others keep their current literal text). Throws <see cref="AutotuneException"/>
    /// (exit 2) for a value outside its space or a result that would not be the same program around the block.
    /// </summary>
    public static string Render(string source, HyperparameterBlock block, Assignment values, BlockTemplate? template = null)
    {
        template ??= BlockTemplate.Default;
        var file = SourceFile.Parse(block.File, block.FullPath, source);
        var span = new TextSpan(block.SpanStart, block.SpanLength);
        var node = span.End <= source.Length ? file.Root.FindNode(span) : null;
        if (node is not ClassDeclarationSyntax cls || cls.Span != span || cls.Identifier.ValueText != block.ClassName)
            throw AutotuneException.Invalid($"{block.File}: the block '{block.ClassName}' is no longer where detect found it (the file changed): run the command again");

        var target = Merge(block, values);
        var model = Model(file, cls, block, target);
        var newline = NewlineOf(source, span);
        var rendered = template.Render(model);
        if (rendered.EndsWith('\n')) rendered = rendered[..^1];
        rendered = rendered.Replace("\n", newline, StringComparison.Ordinal);
        KeepsComments(cls, rendered, block);

        var result = string.Concat(source.AsSpan(0, span.Start), rendered, source.AsSpan(span.End));
        Verify(file, result, block, rendered.Length, target);
        return result;
    }

    /// <summary>Plans the rewrite of the block's file without writing it.</summary>
    public static Rewrite Plan(HyperparameterBlock block, Assignment values, BlockTemplate? template = null)
    {
        var (text, _) = ReadSource(block.FullPath, block.File);
        return new Rewrite(block.FullPath, text, Render(text, block, values, template));
    }

    /// <summary>Rewrites the block's file in place (temporary file, then rename) and returns what changed.</summary>
    public static Rewrite ApplyToFile(HyperparameterBlock block, Assignment values, BlockTemplate? template = null)
    {
        var (text, bom) = ReadSource(block.FullPath, block.File);
        var rewrite = new Rewrite(block.FullPath, text, Render(text, block, values, template));
        if (rewrite.Changes) WriteAtomically(block.FullPath, rewrite.After, bom);
        return rewrite;
    }

    /// <summary>The current values with the given ones over them; unknown names and values outside their space are refused.</summary>
    public static Assignment Merge(HyperparameterBlock block, Assignment values)
    {
        var known = block.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var name in values.Values.Keys.Where(n => !known.ContainsKey(n)))
            throw AutotuneException.Invalid($"'{name}' is not a parameter of {block.ClassName} ({block.File}:{block.Line}); it has {string.Join(", ", known.Keys)}");
        var merged = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var p in block.Parameters)
        {
            var value = values.Values.TryGetValue(p.Name, out var v) ? v : p.Current;
            var (type, _) = ParameterType.FromSyntax(p.Type);
            if (type is null) throw AutotuneException.Invalid($"parameter '{p.Name}' has type {p.Type}, which autotune cannot write");
            CSharpLiteral.Render(value, type, p.Name); // type check first: its message is the clearer one
            if (!p.Domain.Contains(value))
                throw AutotuneException.Invalid($"value {CSharpLiteral.Show(value)} for '{p.Name}' is outside its declared space {p.Attributes} ({block.File}:{p.Line})");
            merged[p.Name] = value;
        }
        return new Assignment(merged);
    }

    private static BlockModel Model(SourceFile file, ClassDeclarationSyntax cls, HyperparameterBlock block, Assignment target)
    {
        var text = file.Text;
        var indent = LeadingWhitespace(text, cls.SpanStart);
        var memberIndent = cls.Members.Count > 0 ? LeadingWhitespace(text, cls.Members[0].SpanStart) : indent + "    ";
        var members = new List<BlockModel.Member>();
        foreach (var member in cls.Members)
        {
            if (member is not FieldDeclarationSyntax field || !field.Modifiers.Any(SyntaxKind.ConstKeyword))
                throw AutotuneException.Invalid($"{block.File}:{file.LineOf(member)}: the block may hold only const fields: move this member out of it");
            if (field.Declaration.Variables.Count != 1)
                throw AutotuneException.Invalid($"{block.File}:{file.LineOf(member)}: declare one parameter per field so autotune can rewrite it");
            var variable = field.Declaration.Variables[0];
            var name = variable.Identifier.ValueText;
            var parameter = block.Parameters.First(p => p.Name == name);
            var value = target[name];
            var literal = SearchValue.AreEqual(value, parameter.Current) && variable.Initializer is { } init
                ? init.Value.ToString()
                : CSharpLiteral.Render(value, ParameterType.FromSyntax(parameter.Type).Type!, name);
            members.Add(new BlockModel.Member(name, field.Declaration.Type.ToString(), string.Join(" ", field.AttributeLists.Select(a => a.ToString())),
                field.Modifiers.ToString(), literal, Comments(field.GetLeadingTrivia()),
                Comments(field.GetTrailingTrivia()).FirstOrDefault() ?? ""));
        }
        return new BlockModel(cls.AttributeLists.Select(a => a.ToString()).ToList(), cls.Modifiers.ToString(), cls.Identifier.ValueText,
            indent, memberIndent, members, Comments(cls.CloseBraceToken.LeadingTrivia));
    }

    private static List<string> Comments(SyntaxTriviaList trivia) =>
        trivia.Where(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia)
                          || t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || t.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
              .Select(t => t.ToFullString().TrimEnd('\r', '\n')).ToList();

    /// <summary>A template that silently drops a comment of the user's would lose text: refuse instead.</summary>
    private static void KeepsComments(ClassDeclarationSyntax cls, string rendered, HyperparameterBlock block)
    {
        foreach (var comment in Comments(SyntaxFactory.TriviaList(cls.DescendantTrivia(cls.Span))))
            if (!rendered.Contains(comment.ReplaceLineEndings(NewlineOf(rendered, new TextSpan(0, rendered.Length))), StringComparison.Ordinal))
                throw AutotuneException.Invalid($"{block.File}: the block template would drop the comment '{comment.Trim()}': move it out of the block or above a parameter");
    }

    private static void Verify(SourceFile before, string text, HyperparameterBlock block, int renderedLength, Assignment target)
    {
        var after = SourceFile.Parse(block.File, block.FullPath, text);
        var start = block.SpanStart;
        var oldErrors = before.Tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id + d.GetMessage()).ToList();
        foreach (var d in after.Tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error))
            if (!oldErrors.Remove(d.Id + d.GetMessage()))
                throw AutotuneException.Invalid($"{block.File}:{d.Location.GetLineSpan().StartLinePosition.Line + 1}: the rewritten block does not compile ({d.Id}: {d.GetMessage()}); nothing was written");

        var newSpan = new TextSpan(start, renderedLength);
        if (after.Root.FindNode(newSpan) is not ClassDeclarationSyntax cls || cls.Span != newSpan || cls.Identifier.ValueText != block.ClassName)
            throw AutotuneException.Invalid($"{block.File}: the rendered block does not parse as the one class '{block.ClassName}'; nothing was written");

        var oldEnd = block.SpanStart + block.SpanLength;
        var (beforeOld, afterOld) = Outside(before.Root, start, oldEnd);
        var (beforeNew, afterNew) = Outside(after.Root, start, newSpan.End);
        if (!beforeOld.SequenceEqual(beforeNew) || !afterOld.SequenceEqual(afterNew))
            throw AutotuneException.Invalid($"{block.File}: the rewrite would change how the code outside the block parses; nothing was written");

        var problems = new List<DetectProblem>();
        var reread = HyperparameterBlockReader.Read([after], problems);
        var error = problems.FirstOrDefault(p => p.IsError);
        if (reread is null || error is not null)
            throw AutotuneException.Invalid($"{block.File}: the rewritten block does not read back ({error?.ToString() ?? "no block"}); nothing was written");
        foreach (var p in block.Parameters)
        {
            var q = reread.Parameters.FirstOrDefault(x => x.Name == p.Name);
            if (q is null || q.Type != p.Type || !q.Domain.Equals(p.Domain) || !SearchValue.AreEqual(q.Current, target[p.Name]))
                throw AutotuneException.Invalid($"{block.File}: parameter '{p.Name}' does not read back as written; nothing was written");
        }
    }

    /// <summary>Kind and full text (trivia included) of the tokens before and after a span: what must not change.</summary>
    private static (List<(SyntaxKind, string)> Before, List<(SyntaxKind, string)> After) Outside(SyntaxNode root, int start, int end)
    {
        var before = new List<(SyntaxKind, string)>();
        var after = new List<(SyntaxKind, string)>();
        foreach (var token in root.DescendantTokens())
        {
            if (token.Span.End <= start) before.Add((token.Kind(), token.ToString()));
            else if (token.SpanStart >= end) after.Add((token.Kind(), token.ToString()));
        }
        return (before, after);
    }

    private static string LeadingWhitespace(SourceText text, int position)
    {
        var line = text.Lines.GetLineFromPosition(position);
        var prefix = text.ToString(TextSpan.FromBounds(line.Start, position));
        return prefix.Length - prefix.TrimStart(' ', '\t').Length == prefix.Length ? prefix : new string(prefix.TakeWhile(c => c is ' ' or '\t').ToArray());
    }

    /// <summary>The block's own line ending, else the file's first one, else '\n'.</summary>
    private static string NewlineOf(string text, TextSpan span)
    {
        var inSpan = text.IndexOf('\n', span.Start, span.Length);
        var at = inSpan >= 0 ? inSpan : text.IndexOf('\n');
        return at > 0 && text[at - 1] == '\r' ? "\r\n" : "\n";
    }

    public static (string Text, bool Bom) ReadSource(string path, string display)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw AutotuneException.Invalid($"{display}: cannot read ({e.Message})"); }
        var bom = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble);
        try { return (StrictUtf8.GetString(bytes, bom ? 3 : 0, bytes.Length - (bom ? 3 : 0)), bom); }
        catch (DecoderFallbackException) { throw AutotuneException.Invalid($"{display}: not UTF-8; save it as UTF-8"); }
    }

    /// <summary>Writes next to the target and renames over it, so a crash leaves the old file or the new one, never half of one.</summary>
    public static void WriteAtomically(string path, string text, bool bom)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.autotune.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                if (bom) stream.Write(Encoding.UTF8.Preamble);
                stream.Write(StrictUtf8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }
            // A new file (init's block) keeps the default mode; an existing one keeps its own.
            if (!OperatingSystem.IsWindows() && File.Exists(path)) File.SetUnixFileMode(temp, File.GetUnixFileMode(path));
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}

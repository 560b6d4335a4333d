using Autotune.Detect;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autotune.Rewrite.Init;

/// <summary>
/// The batch size of a hand-written training loop: <c>for (var i = 0; i &lt; n; i += 64)</c> whose body
/// takes a slice of that length at <c>i</c> (<c>x.narrow(0, i, 64)</c>, <c>Slice(i, 64)</c>,
/// <c>Math.Min(64, n - i)</c>, <c>i + 64</c>, <c>Skip(i).Take(64)</c>). The stride and the lengths are
/// one value: they are found together, so they are lifted together or not at all. A loop that does
/// not train (no <c>backward</c>, <c>step</c> or <c>zero_grad</c> in it: an evaluation in chunks) is
/// not a batch size, and neither is a loop whose body uses the value for anything else.
/// </summary>
public static class BatchLoops
{
    /// <summary>Each training loop's stride literal first, then its slice lengths.</summary>
    public static IEnumerable<IReadOnlyList<LiteralExpressionSyntax>> Find(SyntaxNode root)
    {
        foreach (var loop in root.DescendantNodes().OfType<ForStatementSyntax>())
        {
            if (loop.Incrementors is not [AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression, Left: IdentifierNameSyntax counter, Right: LiteralExpressionSyntax stride }])
                continue;
            var name = counter.Identifier.ValueText;
            if (stride.Token.Value is not int size || size < 2) continue;
            if (loop.Declaration?.Variables.Any(v => v.Identifier.ValueText == name) != true) continue;
            if (loop.Condition is not BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LessThanExpression, Left: IdentifierNameSyntax c } || c.Identifier.ValueText != name) continue;
            if (!Trains(loop.Statement)) continue;

            var same = loop.Statement.DescendantNodes().OfType<LiteralExpressionSyntax>()
                .Where(l => l.IsKind(SyntaxKind.NumericLiteralExpression) && l.Token.Value is int v && v == size).ToList();
            if (same.Count == 0 || !same.All(l => IsSliceLength(l, name))) continue;
            // The counter must not change inside the body, or the stride is not the batch.
            if (loop.Statement.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(a => ConstantReader.LastName(a.Left) == name)) continue;
            yield return [stride, .. same];
        }
    }

    private static bool Trains(StatementSyntax body) =>
        body.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Any(i => ConstantReader.LastName(i.Expression) is "backward" or "step" or "zero_grad");

    private static bool Mentions(ExpressionSyntax e, string name) =>
        e.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(i => i.Identifier.ValueText == name);

    private static bool IsCounter(ExpressionSyntax e, string name) => e is IdentifierNameSyntax i && i.Identifier.ValueText == name;

    private static bool IsSliceLength(LiteralExpressionSyntax literal, string counter)
    {
        switch (literal.Parent)
        {
            // i + 64: the end of the slice that starts at i.
            case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } add:
                return IsCounter(add.Left == literal ? add.Right : add.Left, counter);
            case ArgumentSyntax { NameColon: null, Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax call } list } argument:
                var at = list.Arguments.IndexOf(argument);
                var method = ConstantReader.LastName(call.Expression);
                // Math.Min(64, n - i): the last batch may be shorter.
                if (method == "Min" && list.Arguments.Count == 2) return Mentions(list.Arguments[1 - at].Expression, counter);
                // Skip(i).Take(64)
                if (method == "Take" && list.Arguments.Count == 1)
                    return call.Expression is MemberAccessExpressionSyntax { Expression: InvocationExpressionSyntax skip } && ConstantReader.LastName(skip.Expression) == "Skip"
                        && skip.ArgumentList.Arguments.Any(a => Mentions(a.Expression, counter));
                // narrow(0, i, 64), Slice(i, 64), AsSpan(i, 64), GetRange(i, 64): a start at i, then the length.
                return at > 0 && IsCounter(list.Arguments[at - 1].Expression, counter);
            default:
                return false;
        }
    }
}

using Autotune.Detect;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autotune.Rewrite.Init;

/// <summary>Where a width literal sits in a layer call: what goes in, what comes out, or neither.</summary>
public enum WidthSide { None, In, Out }

/// <summary>
/// One literal that may become a parameter: where it is, what it means, the name its context gives
/// it, and how sure that meaning is. <see cref="Standalone"/> is true when a name says what the value
/// is (a named argument, a parameter of the user's own method, a variable); a layer's positional
/// width is not, and is lifted only when another layer takes the same value in (an inner width).
/// </summary>
public sealed record LiftSite(SourceFile File, LiteralExpressionSyntax Literal, object Value, string Type, LiftRole Role, string NameHint,
    bool Standalone, WidthSide Side = WidthSide.None, IReadOnlyList<object>? Options = null, LiteralExpressionSyntax? Padding = null)
{
    public int Position => Literal.SpanStart;
}

using Autotune.Detect;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autotune.Rewrite.Init;

/// <summary>
/// An optimizer argument the code leaves to its default, which init writes in as a named argument
/// (<c>optim.SGD(p, 0.01)</c> becomes <c>optim.SGD(p, 0.01, momentum: Hyper.Momentum)</c>): the levers
/// people tune are often the ones the code never wrote. <see cref="Value"/> is TorchSharp's default, so
/// with the code's own values the program trains exactly as before.
/// </summary>
public sealed record ArgumentInsertion(SourceFile File, ArgumentListSyntax List, string Argument, LiftRole Role, double Value, string Literal)
{
    public int Position => List.CloseParenToken.SpanStart;
}

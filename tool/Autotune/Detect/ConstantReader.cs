using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autotune.Detect;

/// <summary>
/// Reads the value of a constant expression as written in the block or in an attribute, without a
/// compiler: literals, a sign, parentheses, and enum members. Anything else is not a value autotune
/// can read or write back, and is reported as such.
/// </summary>
public static class ConstantReader
{
    /// <summary>A number as written: long when it is an integer literal, double otherwise.</summary>
    public static object? Number(ExpressionSyntax e)
    {
        switch (e)
        {
            case ParenthesizedExpressionSyntax p: return Number(p.Expression);
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } m:
                return Number(m.Operand) switch
                {
                    long l => -l,
                    double d => -d,
                    _ => null,
                };
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryPlusExpression } p: return Number(p.Operand);
            case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NumericLiteralExpression } l:
                return l.Token.Value switch
                {
                    int i => (long)i,
                    uint u => (long)u,
                    long v => v,
                    ulong u when u <= long.MaxValue => (long)u,
                    float f => double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
                    double d => d,
                    decimal m => (double)m,
                    _ => null,
                };
            default: return null;
        }
    }

    /// <summary>The value of <paramref name="e"/> as a search value of <paramref name="type"/>, or an error for the user.</summary>
    public static (object? Value, string? Error) Value(ExpressionSyntax e, ParameterType type)
    {
        while (e is ParenthesizedExpressionSyntax p) e = p.Expression;
        switch (type.Kind)
        {
            case ValueKind.Integer:
                if (Number(e) is not { } n) return (null, $"'{e}' is not an integer literal");
                if (n is not long l) return (null, $"'{e}' is not an integer (the parameter is {type.Name})");
                if (l < type.Min || l > type.Max) return (null, $"{l} does not fit in {type.Name}");
                return (l, null);
            case ValueKind.Real:
                return Number(e) switch
                {
                    long i => ((double)i, null),
                    double d when double.IsFinite(d) => (type.IsFloat ? (double)(float)d : d, null),
                    double => (null, $"'{e}' is not a finite number"),
                    _ => (null, $"'{e}' is not a number literal"),
                };
            case ValueKind.String:
                return e is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } s
                    ? (s.Token.ValueText, null)
                    : (null, $"'{e}' is not a string literal");
            case ValueKind.Bool:
                return e.Kind() switch
                {
                    SyntaxKind.TrueLiteralExpression => (true, null),
                    SyntaxKind.FalseLiteralExpression => (false, null),
                    _ => (null, $"'{e}' is not true or false"),
                };
            case ValueKind.Enum:
                // Pooling.Max, MyModel.Pooling.Max or global::MyModel.Pooling.Max: the member is the last name.
                if (e is MemberAccessExpressionSyntax m && LastName(m.Expression) == type.SimpleName)
                    return (m.Name.Identifier.ValueText, null);
                return (null, $"'{e}' is not a member of {type.Name} (write it as {type.SimpleName}.Member)");
            default:
                return (null, $"'{e}' is not supported");
        }
    }

    public static string? LastName(ExpressionSyntax e) => e switch
    {
        IdentifierNameSyntax i => i.Identifier.ValueText,
        MemberAccessExpressionSyntax m => m.Name.Identifier.ValueText,
        AliasQualifiedNameSyntax a => a.Name.Identifier.ValueText,
        QualifiedNameSyntax q => q.Right.Identifier.ValueText,
        GenericNameSyntax g => g.Identifier.ValueText,
        _ => null,
    };
}

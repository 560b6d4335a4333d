using System.Globalization;
using System.Text;
using Autotune.Detect;
using Microsoft.CodeAnalysis.CSharp;

namespace Autotune.Rewrite;

/// <summary>
/// Search values as C# literals of a parameter's type, never as raw text: invariant round-trip
/// numbers, an f suffix for float, strings with every character that could end the literal, start a
/// comment, break a line or reorder the text on screen (bidi controls) escaped, enum members checked
/// to be identifiers. A value that does not fit the type is refused.
/// </summary>
public static class CSharpLiteral
{
    public static string Render(object value, ParameterType type, string parameter) => type.Kind switch
    {
        ValueKind.Integer => value is long l && l >= type.Min && l <= type.Max
            ? l.ToString(CultureInfo.InvariantCulture)
            : throw Refuse(parameter, value, $"is not an integer that fits in {type.Name}"),
        ValueKind.Real => value is double d && double.IsFinite(d) && (!type.IsFloat || float.IsFinite((float)d))
            ? Real(d, type.IsFloat)
            : throw Refuse(parameter, value, $"is not a finite {type.Name}"),
        ValueKind.Bool => value is bool b ? (b ? "true" : "false") : throw Refuse(parameter, value, "is not true or false"),
        ValueKind.String => value is string s ? String(s, parameter) : throw Refuse(parameter, value, "is not a string"),
        ValueKind.Enum => value is string m && SyntaxFacts.IsValidIdentifier(m) && SyntaxFacts.GetKeywordKind(m) == SyntaxKind.None
            ? $"{type.Name}.{m}"
            : throw Refuse(parameter, value, $"is not the name of a member of {type.Name}"),
        _ => throw Refuse(parameter, value, "has a type autotune cannot write"),
    };

    private static string Real(double d, bool isFloat)
    {
        var text = isFloat ? ((float)d).ToString("R", CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture);
        // "2" would read back as an integer literal; keep it visibly real.
        if (!text.Contains('.') && !text.Contains('E')) text += ".0";
        return isFloat ? text + "f" : text;
    }

    private static string String(string s, string parameter)
    {
        var b = new StringBuilder(s.Length + 2).Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { b.Append(c).Append(s[++i]); continue; }
            if (char.IsSurrogate(c)) throw Refuse(parameter, s, "holds a lone surrogate, which no source file can hold");
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                case '\0': b.Append("\\0"); break;
                default:
                    if (char.IsControl(c) || IsInvisibleOrReordering(c)) b.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else b.Append(c);
                    break;
            }
        }
        return b.Append('"').ToString();
    }

    /// <summary>Bidi controls (Trojan Source), line and paragraph separators (C# ends a line at them), and zero-width characters.</summary>
    public static bool IsInvisibleOrReordering(char c) =>
        c is '\u061C' or '\u200B' or '\u200C' or '\u200D' or '\u200E' or '\u200F' or '\u2028' or '\u2029' or '\uFEFF'
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069';

    private static Cli.AutotuneException Refuse(string parameter, object value, string why) =>
        Cli.AutotuneException.Invalid($"value {Show(value)} for '{parameter}' {why}");

    public static string Show(object value) => value switch
    {
        string s => "\"" + string.Concat(s.Select(c => char.IsControl(c) || IsInvisibleOrReordering(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString())) + "\"",
        _ => Search.SearchValue.Format(value),
    };
}

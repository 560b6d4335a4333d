using System.Globalization;
using System.Text;
using Autotune.Cli;
using Autotune.Detect;
using Autotune.Search;

namespace Autotune.Rewrite;

/// <summary>
/// Parses "k=v,k2=v2" from the command line into typed values for a block. A value may be quoted
/// ("a,b" or "say \"hi\"") to hold commas, quotes or leading spaces; numbers are invariant.
/// </summary>
public static class AssignmentText
{
    public static Assignment Parse(string text, HyperparameterBlock block) => Parse(text, block.SearchSpace, block.ClassName);

    /// <summary>Values for the parameters of <paramref name="space"/>, declared in the class <paramref name="owner"/> (named in errors).</summary>
    public static Assignment Parse(string text, SearchSpace space, string owner)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, raw) in Pairs(text))
        {
            var p = space.Parameters.FirstOrDefault(x => x.Name == name)
                ?? throw AutotuneException.Invalid($"--values: '{name}' is not a parameter of {owner}; it has {string.Join(", ", space.Parameters.Select(x => x.Name))}");
            var type = ParameterType.FromSyntax(p.Type).Type!;
            object? value = type.Kind switch
            {
                ValueKind.Integer => long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null,
                ValueKind.Real => double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
                ValueKind.Bool => raw switch { "true" => true, "false" => false, _ => null },
                ValueKind.Enum => raw.StartsWith(type.SimpleName + ".", StringComparison.Ordinal) ? raw[(type.SimpleName.Length + 1)..] : raw,
                _ => raw,
            };
            if (value is null) throw AutotuneException.Invalid($"--values: '{raw}' is not a {p.Type} (for {name})");
            if (!values.TryAdd(name, value)) throw AutotuneException.Invalid($"--values: '{name}' is given twice");
        }
        if (values.Count == 0) throw AutotuneException.Invalid("--values: give at least one name=value");
        return new Assignment(values);
    }

    /// <summary>
    /// The "k=v,k2=v2" text that <see cref="Parse"/> reads back to the same values (`ask` prints it for
    /// `train --values`); a value holding a comma, a quote, a backslash or an edge space is quoted.
    /// </summary>
    public static string Format(Assignment assignment) =>
        string.Join(",", assignment.Values.Select(kv =>
        {
            var text = SearchValue.Format(kv.Value);
            var quote = text.Length > 0 && (text.IndexOfAny([',', '"', '\\']) >= 0 || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]));
            return quote ? $"{kv.Key}=\"{text.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"" : $"{kv.Key}={text}";
        }));

    private static IEnumerable<(string Name, string Value)> Pairs(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var eq = text.IndexOf('=', i);
            if (eq < 0) throw AutotuneException.Invalid($"--values: '{text[i..]}' has no '=': write name=value,name=value");
            var name = text[i..eq].Trim();
            i = eq + 1;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    value.Append(text[i++]);
                }
                if (i >= text.Length) throw AutotuneException.Invalid($"--values: the quoted value of '{name}' is not closed");
                i++;
                if (i < text.Length && text[i] != ',') throw AutotuneException.Invalid($"--values: expected ',' after the quoted value of '{name}'");
            }
            else
            {
                var comma = text.IndexOf(',', i);
                value.Append(comma < 0 ? text[i..] : text[i..comma]);
                i = comma < 0 ? text.Length : comma;
            }
            i++;
            yield return (name, value.ToString());
        }
    }
}

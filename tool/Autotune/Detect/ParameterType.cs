namespace Autotune.Detect;

public enum ValueKind { Integer, Real, String, Bool, Enum }

/// <summary>
/// A C# type a block parameter may have, and the plain value its search values take:
/// integers as long, float/double as double, string, bool, and enums as the member name (string).
/// </summary>
public sealed record ParameterType(string Name, ValueKind Kind, long Min = 0, long Max = 0)
{
    private static readonly Dictionary<string, ParameterType> Known = new(StringComparer.Ordinal)
    {
        ["sbyte"] = new("sbyte", ValueKind.Integer, sbyte.MinValue, sbyte.MaxValue),
        ["byte"] = new("byte", ValueKind.Integer, byte.MinValue, byte.MaxValue),
        ["short"] = new("short", ValueKind.Integer, short.MinValue, short.MaxValue),
        ["ushort"] = new("ushort", ValueKind.Integer, ushort.MinValue, ushort.MaxValue),
        ["int"] = new("int", ValueKind.Integer, int.MinValue, int.MaxValue),
        ["uint"] = new("uint", ValueKind.Integer, uint.MinValue, uint.MaxValue),
        ["long"] = new("long", ValueKind.Integer, long.MinValue, long.MaxValue),
        ["float"] = new("float", ValueKind.Real),
        ["double"] = new("double", ValueKind.Real),
        ["string"] = new("string", ValueKind.String),
        ["bool"] = new("bool", ValueKind.Bool),
    };

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["SByte"] = "sbyte", ["Byte"] = "byte", ["Int16"] = "short", ["UInt16"] = "ushort", ["Int32"] = "int",
        ["UInt32"] = "uint", ["Int64"] = "long", ["Single"] = "float", ["Double"] = "double", ["String"] = "string", ["Boolean"] = "bool",
    };

    /// <summary>Types refused with a reason: they exist in C# but a search over them makes no sense or cannot be rendered exactly.</summary>
    private static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["decimal"] = "decimal is not supported: use double",
        ["ulong"] = "ulong is not supported: use long",
        ["char"] = "char is not supported: use string with [Choice]",
        ["object"] = "object is not supported: give the parameter a concrete type",
        ["nint"] = "nint is not supported: use int or long",
        ["nuint"] = "nuint is not supported: use int or long",
        ["dynamic"] = "dynamic is not supported: give the parameter a concrete type",
        ["var"] = "var cannot declare a const",
    };

    public bool IsFloat => Name == "float";

    /// <summary>The type as written ("int", "System.Int32", "Pooling"), or an error saying why it cannot be tuned.</summary>
    public static (ParameterType? Type, string? Error) FromSyntax(string written)
    {
        var name = written.Replace(" ", "", StringComparison.Ordinal);
        if (name.StartsWith("global::", StringComparison.Ordinal)) name = name["global::".Length..];
        if (name.StartsWith("System.", StringComparison.Ordinal) && Aliases.TryGetValue(name["System.".Length..], out var alias)) name = alias;
        else if (Aliases.TryGetValue(name, out alias)) name = alias;
        if (Known.TryGetValue(name, out var known)) return (known, null);
        if (Refused.TryGetValue(name, out var why)) return (null, why);
        if (name.EndsWith('?') || name.EndsWith(']') || name.Contains('<') || name.Contains('(') || name.Contains('*'))
            return (null, $"{written} is not supported: use an integer type, float, double, string, bool or an enum");
        // Any other simple or qualified name can only be an enum: a const of a class or struct type does not compile.
        return (new ParameterType(name, ValueKind.Enum), null);
    }

    /// <summary>The last part of an enum type's name: "Pooling" for "MyModel.Pooling".</summary>
    public string SimpleName => Name[(Name.LastIndexOf('.') + 1)..];
}

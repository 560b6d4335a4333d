using System.Text.Json;
using System.Text.Json.Nodes;
using Autotune.Search;

namespace Autotune.Study;

/// <summary>
/// Search spaces and assignments as JSON, for the store, ask/tell and reports. Values are decoded
/// by their parameter's domain, so a real 1.0 stays a double and an integer 1 stays a long.
/// </summary>
public static class SpaceJson
{
    public static string Write(SearchSpace space) => new JsonArray(space.Parameters.Select(p => (JsonNode)Parameter(p)).ToArray()).ToJsonString();

    public static SearchSpace ReadSpace(string json)
    {
        var array = JsonNode.Parse(json)?.AsArray() ?? throw new JsonException("search space: expected an array");
        var parameters = array.Select(n => ReadParameter(n!.AsObject())).ToList();
        // A condition's values are decoded by its parent's domain, which may be declared after it.
        return new SearchSpace(parameters.Zip(array).Select(x => x.Second!["when"] is JsonObject when ? x.First with { When = ReadCondition(when, parameters) } : x.First).ToList());
    }

    public static string Write(Assignment a) =>
        new JsonObject(a.Values.Select(kv => KeyValuePair.Create(kv.Key, Value(kv.Value)))).ToJsonString();

    public static Assignment ReadAssignment(string json, SearchSpace space)
    {
        var obj = JsonNode.Parse(json)?.AsObject() ?? throw new JsonException("assignment: expected an object");
        var values = new Dictionary<string, object>();
        foreach (var (name, node) in obj)
        {
            var parameter = space.Parameters.FirstOrDefault(p => p.Name == name)
                ?? throw new JsonException($"assignment names '{name}', which the search space does not have");
            values[name] = Decode(node, parameter);
        }
        return new Assignment(values);
    }

    public static object Decode(JsonNode? node, Parameter p)
    {
        if (node is null) throw new JsonException($"{p.Name}: null value");
        var v = node.AsValue();
        if (v.TryGetValue<string>(out var s)) return s;
        if (v.TryGetValue<bool>(out var b)) return b;
        var d = v.GetValue<double>();
        return IsReal(p) ? d : (object)checked((long)d);
    }

    private static bool IsReal(Parameter p) =>
        p.Type is "double" or "float" or "decimal" || p.Domain is RealRange
        || (p.Domain is Choice c && c.Values.Any(x => x is double));

    private static JsonObject Parameter(Parameter p)
    {
        var o = new JsonObject { ["name"] = p.Name, ["type"] = p.Type };
        switch (p.Domain)
        {
            case IntRange r:
                o["kind"] = "int"; o["min"] = r.Min; o["max"] = r.Max; o["step"] = r.Step; o["log"] = r.Log; break;
            case RealRange r:
                o["kind"] = "real"; o["min"] = r.Min; o["max"] = r.Max; o["log"] = r.Log; break;
            case Choice c:
                o["kind"] = "choice"; o["values"] = new JsonArray(c.Values.Select(Value).ToArray()); break;
        }
        o["current"] = Value(p.Current);
        if (p.When is { } when)
            o["when"] = when.AtLeast is { } k
                ? new JsonObject { ["parameter"] = when.Parent, ["atLeast"] = k }
                : new JsonObject { ["parameter"] = when.Parent, ["values"] = new JsonArray(when.Values.Select(Value).ToArray()) };
        return o;
    }

    private static Condition ReadCondition(JsonObject o, IReadOnlyList<Parameter> parameters)
    {
        var parent = (string)o["parameter"]!;
        if (o["atLeast"] is { } k) return new Condition(parent, [], (double)k);
        var shell = parameters.FirstOrDefault(p => p.Name == parent);
        var values = o["values"]!.AsArray().Select(n => shell is null ? ChoiceValue(n) : Decode(n, shell)).ToList();
        return new Condition(parent, values);
    }

    private static Parameter ReadParameter(JsonObject o)
    {
        var name = (string)o["name"]!;
        var type = (string)o["type"]!;
        Domain domain = (string)o["kind"]! switch
        {
            "int" => new IntRange((long)o["min"]!, (long)o["max"]!, (long)o["step"]!, (bool)o["log"]!),
            "real" => new RealRange((double)o["min"]!, (double)o["max"]!, (bool)o["log"]!),
            "choice" => new Choice(o["values"]!.AsArray().Select(ChoiceValue)
                .Select(x => type is "double" or "float" && x is long l ? (object)(double)l : x).ToList()),
            var k => throw new JsonException($"unknown parameter kind '{k}'"),
        };
        var shell = new Parameter(name, type, domain, 0L);
        return shell with { Current = Decode(o["current"], shell) };
    }

    private static object ChoiceValue(JsonNode? n)
    {
        var v = n!.AsValue();
        if (v.TryGetValue<string>(out var s)) return s;
        if (v.TryGetValue<bool>(out var b)) return b;
        if (v.TryGetValue<long>(out var l)) return l;
        return v.GetValue<double>();
    }

    private static JsonNode? Value(object v) => v switch
    {
        long l => JsonValue.Create(l),
        int i => JsonValue.Create((long)i),
        double d => JsonValue.Create(d),
        float f => JsonValue.Create((double)f),
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        _ => JsonValue.Create(v.ToString()),
    };
}

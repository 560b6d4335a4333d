using System.Text.Json;
using Autotune.Cli;
using Autotune.Search;

namespace Autotune.Tune;

/// <summary>
/// <c>"space"</c> in autotune.json: a parameter's domain, narrowed or widened without touching the
/// code. For a number, <c>[min, max]</c> is a range (log when the parameter's range was log), and a
/// list of one or more than two values is a choice; a parameter that is a choice takes any list as
/// its new choices; a string, bool or enum parameter takes a list of values. The code's own value
/// may fall outside: it stays the baseline, the search keeps to the new domain.
/// </summary>
public static class SpaceOverrides
{
    public static SearchSpace Apply(SearchSpace space, IReadOnlyDictionary<string, JsonElement> overrides, string settingsPath)
    {
        var known = space.Parameters.Select(p => p.Name).ToList();
        foreach (var key in overrides.Keys.Where(k => !known.Contains(k, StringComparer.Ordinal)))
            throw Bad(settingsPath, key, $"no parameter is named '{key}' (parameters: {string.Join(", ", known)}); use one of those names");
        return new SearchSpace(space.Parameters.Select(p => overrides.TryGetValue(p.Name, out var e) ? p with { Domain = Domain(p, e, settingsPath) } : p).ToList());
    }

    private static Domain Domain(Parameter p, JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Array)
            throw Bad(path, p.Name, $"{e.GetRawText()} is not a list; write [min, max] or a list of values");
        var items = e.EnumerateArray().ToList();
        if (items.Count == 0) throw Bad(path, p.Name, "the list is empty; write [min, max] or a list of values");
        var values = items.Select(i => Value(p, i, path)).ToList();
        for (var i = 1; i < values.Count; i++)
            if (values.Take(i).Any(v => SearchValue.AreEqual(v, values[i])))
                throw Bad(path, p.Name, $"{items[i].GetRawText()} is listed twice; list each value once");

        if (p.Domain is Choice || values.Count != 2 || values[0] is not (long or double))
        {
            if (p.Domain is Choice c && p.Current is string && IsEnumLike(p))
                foreach (var (v, i) in values.Zip(items))
                    if (!c.Contains(v)) throw Bad(path, p.Name, $"{i.GetRawText()} is not one of the values autotune knows for {p.Type} ({string.Join(", ", c.Values.Select(SearchValue.Format))}); list only those");
            return new Choice(values);
        }

        var log = p.Domain is IntRange { Log: true } or RealRange { Log: true };
        var (min, max) = (items[0].GetRawText(), items[1].GetRawText());
        if (Number(values[0]) > Number(values[1])) throw Bad(path, p.Name, $"min {min} is above max {max}; write [min, max]");
        if (log && Number(values[0]) <= 0)
            throw Bad(path, p.Name, $"min {min} of a log range must be above 0; write a positive min");
        return values[0] is long a
            ? new IntRange(a, (long)values[1], p.Domain is IntRange { Step: > 1 } r ? r.Step : 1, log)
            : new RealRange((double)values[0], (double)values[1], log);
    }

    private static double Number(object v) => v is long l ? l : (double)v;

    /// <summary>An enum's members are known only by the choice Detect read: a list may pick among them, not invent new ones.</summary>
    private static bool IsEnumLike(Parameter p) => p.Type is not ("string" or "String" or "System.String");

    /// <summary>One value of the list, in the parameter's kind: a whole number for an integer, a number for a real, text, true/false.</summary>
    private static object Value(Parameter p, JsonElement e, string path)
    {
        var kind = p.Current switch { long => "a whole number", double => "a number", bool => "true or false", _ => "text" };
        object? value = p.Current switch
        {
            long when e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var l) => l,
            double when e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var d) && double.IsFinite(d) => d,
            bool when e.ValueKind is JsonValueKind.True or JsonValueKind.False => e.GetBoolean(),
            string when e.ValueKind == JsonValueKind.String => e.GetString(),
            _ => null,
        };
        return value ?? throw Bad(path, p.Name, $"{e.GetRawText()} is not {kind}, as {p.Name} ({p.Type}) needs; write {kind}");
    }

    private static AutotuneException Bad(string path, string key, string what) => AutotuneException.Invalid($"{path}: space.{key}: {what}");
}

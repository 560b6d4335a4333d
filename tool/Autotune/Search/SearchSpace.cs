using System.Globalization;

namespace Autotune.Search;

/// <summary>
/// Where a parameter's values may come from. Values are plain CLR objects: long for integers,
/// double for reals, string, bool; the C# type of the block decides how they are rendered.
/// </summary>
public abstract record Domain
{
    /// <summary>True when the value belongs to this domain.</summary>
    public abstract bool Contains(object value);
}

/// <summary>Integers from Min to Max, both included, every Step; Log searches on a log scale.</summary>
public sealed record IntRange(long Min, long Max, long Step = 1, bool Log = false) : Domain
{
    public override bool Contains(object value) =>
        value is long v && v >= Min && v <= Max && (Step <= 1 || (v - Min) % Step == 0);
}

/// <summary>Reals from Min to Max, both included; Log searches on a log scale (Min must be positive).</summary>
public sealed record RealRange(double Min, double Max, bool Log = false) : Domain
{
    public override bool Contains(object value) => value is double v && double.IsFinite(v) && v >= Min && v <= Max;
}

/// <summary>One of a fixed list of values (numbers, strings, bools, enum member names).</summary>
public sealed record Choice(IReadOnlyList<object> Values) : Domain
{
    public override bool Contains(object value) => Values.Any(v => SearchValue.AreEqual(v, value));

    /// <summary>The position of a value in the list; -1 when it is not listed.</summary>
    public int IndexOf(object value)
    {
        for (var i = 0; i < Values.Count; i++)
            if (SearchValue.AreEqual(Values[i], value)) return i;
        return -1;
    }

    public bool Equals(Choice? other) => other is not null && Values.SequenceEqual(other.Values, SearchValue.Comparer);
    public override int GetHashCode() => Values.Count;
}

/// <summary>A tunable parameter: its name in the block, the C# type it has there, its domain and its value in the code.</summary>
public sealed record Parameter(string Name, string Type, Domain Domain, object Current)
{
    /// <summary>When the parameter applies (<c>[When]</c>); null when always. Part of the space: a changed condition is a changed space.</summary>
    public Condition? When { get; init; }
}

/// <summary>The parameters a study searches over, in the order the block declares them.</summary>
public sealed record SearchSpace(IReadOnlyList<Parameter> Parameters)
{
    public Parameter this[string name] => Parameters.First(p => p.Name == name);

    /// <summary>The values the code has now: the natural first trial.</summary>
    public Assignment Current() => new(Parameters.ToDictionary(p => p.Name, p => p.Current));

    public bool Equals(SearchSpace? other) => other is not null && Parameters.SequenceEqual(other.Parameters);

    /// <summary>True when some parameter applies only for some values of another (<see cref="Condition"/>).</summary>
    public bool IsConditional => Parameters.Any(p => p.When is not null);

    /// <summary>
    /// True when <paramref name="p"/> applies under these values: it has no condition, or its parent is active
    /// and has a value the condition names. A parameter the values lack counts as active.
    /// </summary>
    public bool IsActive(Parameter p, Assignment values)
    {
        // Detect refuses cycles; the bound keeps a space built by hand from looping.
        for (var depth = 0; p.When is { } when && depth <= Parameters.Count; depth++)
        {
            var parent = Parameters.FirstOrDefault(q => q.Name == when.Parent);
            if (parent is null) return true;
            if (values.Values.TryGetValue(parent.Name, out var v) && !when.HoldsFor(v)) return false;
            p = parent;
        }
        return true;
    }

    /// <summary>
    /// The values as the program runs them: every inactive parameter at the code's value, so two
    /// assignments that differ only where nothing reads them are one trial. Unchanged without conditions.
    /// </summary>
    public Assignment Canonical(Assignment values)
    {
        if (!IsConditional) return values;
        var inactive = Parameters.Where(p => values.Values.ContainsKey(p.Name) && !IsActive(p, values)).ToList();
        if (inactive.Count == 0) return values;
        var result = values.Values.ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var p in inactive) result[p.Name] = p.Current;
        return new Assignment(result);
    }

    /// <summary>True when the two assignments train the same program: equal in every active parameter.</summary>
    public bool SameTrial(Assignment a, Assignment b) => Canonical(a).Equals(Canonical(b));

    /// <summary>
    /// The same parameters, types and domains, whatever values the code holds now: applying a study's
    /// best values changes the code's values, not the space, so the study resumes afterwards.
    /// </summary>
    public bool SearchesLike(SearchSpace other) =>
        Parameters.Count == other.Parameters.Count
        && Parameters.Zip(other.Parameters).All(p => p.First.Name == p.Second.Name && p.First.Type == p.Second.Type && p.First.Domain.Equals(p.Second.Domain)
            && Equals(p.First.When, p.Second.When));
    public override int GetHashCode() => Parameters.Count;
}

/// <summary>One value for each parameter of a search space: what a trial is run with.</summary>
public sealed class Assignment(IReadOnlyDictionary<string, object> values) : IEquatable<Assignment>
{
    public IReadOnlyDictionary<string, object> Values { get; } = values;
    public object this[string name] => Values[name];

    /// <summary>"ConvLayers=2, Filters=32, LearningRate=0.001": stable, invariant, for logs and stage names.</summary>
    public override string ToString() => string.Join(", ", Values.Select(kv => $"{kv.Key}={SearchValue.Format(kv.Value)}"));

    public bool Equals(Assignment? other) =>
        other is not null && other.Values.Count == Values.Count &&
        Values.All(kv => other.Values.TryGetValue(kv.Key, out var o) && SearchValue.AreEqual(kv.Value, o));
    public override bool Equals(object? obj) => Equals(obj as Assignment);
    public override int GetHashCode() => Values.Count;
}

/// <summary>Comparing and formatting the plain values of a search space, the same way everywhere.</summary>
public static class SearchValue
{
    public static readonly IEqualityComparer<object> Comparer = EqualityComparer<object>.Create(AreEqual, v => v?.GetHashCode() ?? 0);

    public static bool AreEqual(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => x == y,
        (double x, double y) => x.Equals(y),
        (long x, double y) => x == y,
        (double x, long y) => x == y,
        _ => Equals(a, b),
    };

    public static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

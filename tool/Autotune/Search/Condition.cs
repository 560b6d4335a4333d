namespace Autotune.Search;

/// <summary>
/// When a parameter applies (<c>[When(nameof(Optimizer), "sgd")]</c>): only while the parameter named
/// <paramref name="Parent"/> has one of <paramref name="Values"/>, or, with <paramref name="AtLeast"/>,
/// while that number is at least it (a width per layer that exists up to <c>ConvLayers</c>). A parameter
/// whose parent is itself inactive is inactive too. An inactive parameter keeps the code's value.
/// </summary>
public sealed record Condition(string Parent, IReadOnlyList<object> Values, double? AtLeast = null)
{
    /// <summary>True when the parent's value makes the parameter active.</summary>
    public bool HoldsFor(object? parentValue) => AtLeast is { } k
        ? parentValue is long or int or double or float && Convert.ToDouble(parentValue, System.Globalization.CultureInfo.InvariantCulture) >= k
        : Values.Any(v => SearchValue.AreEqual(v, parentValue));

    /// <summary>"Optimizer = "sgd"", "Optimizer in {"sgd", "rmsprop"}", "ConvLayers >= 3": for logs and detect.</summary>
    public override string ToString() => AtLeast is { } k
        ? $"{Parent} >= {SearchValue.Format(k)}"
        : Values.Count == 1 ? $"{Parent} = {Show(Values[0])}" : $"{Parent} in {{{string.Join(", ", Values.Select(Show))}}}";

    private static string Show(object v) => v is string s ? $"\"{s}\"" : SearchValue.Format(v);

    public bool Equals(Condition? other) =>
        other is not null && Parent == other.Parent && AtLeast == other.AtLeast && Values.SequenceEqual(other.Values, SearchValue.Comparer);
    public override int GetHashCode() => HashCode.Combine(Parent, Values.Count, AtLeast);
}

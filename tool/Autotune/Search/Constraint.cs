namespace Autotune.Search;

/// <summary>
/// A bound every acceptable trial must meet besides the target: "params&lt;=200000". It has a target's
/// shape (a metric, a comparison and a bound) and is read the same way, but it searches nowhere: a trial
/// either meets it at its last epoch or is infeasible.
/// </summary>
public sealed record Constraint(string Metric, Comparison Comparison, double Bound)
{
    private Target Rule => new(Metric, Comparison, Bound);

    /// <summary>True when <paramref name="value"/> is on the allowed side of the bound (never for NaN or infinity).</summary>
    public bool IsMetBy(double value) => Rule.IsReachedBy(value);

    /// <summary>
    /// Null when <paramref name="metrics"/> (a trial's last epoch) meet the constraint; else what broke it,
    /// "params 412000 > 200000", or "params not reported".
    /// </summary>
    public string? BrokenBy(IReadOnlyDictionary<string, double>? metrics)
    {
        if (metrics is null || !metrics.TryGetValue(Metric, out var value) || double.IsNaN(value)) return $"{Metric} not reported";
        return IsMetBy(value) ? null : $"{Metric} {Show(value)} {Target.Symbol(Opposite(Comparison))} {Show(Bound)}";
    }

    // Ten digits hide float noise (0.050000000000000044); a value that would then print as its bound prints in full.
    private string Show(double value)
    {
        var brief = value.ToString("G10", System.Globalization.CultureInfo.InvariantCulture);
        return value != Bound && brief == Bound.ToString("G10", System.Globalization.CultureInfo.InvariantCulture) ? SearchValue.Format(value) : brief;
    }

    public override string ToString() => Rule.ToString();

    /// <summary>Reads "metric op bound" as <see cref="Target.Parse(string)"/> does; a bad one throws an ArgumentException that says what to write.</summary>
    public static Constraint Parse(string text)
    {
        var rule = Target.Parse(text, "constraint", "write it like \"params<=200000\" or \"latency_ms<5\"");
        return new Constraint(rule.Metric, rule.Comparison, rule.Value);
    }

    /// <summary>The comparison a breaking value has with the bound: above a "&lt;=" bound is "&gt;".</summary>
    private static Comparison Opposite(Comparison c) => c switch
    {
        Comparison.Greater => Comparison.LessOrEqual,
        Comparison.GreaterOrEqual => Comparison.Less,
        Comparison.Less => Comparison.GreaterOrEqual,
        _ => Comparison.Greater,
    };
}

/// <summary>Questions about a set of constraints.</summary>
public static class Constraints
{
    /// <summary>What each broken constraint says, in the order given; empty when the metrics meet them all.</summary>
    public static IReadOnlyList<string> BrokenBy(this IReadOnlyList<Constraint> constraints, IReadOnlyDictionary<string, double>? metrics) =>
        constraints.Select(c => c.BrokenBy(metrics)).OfType<string>().ToList();

    /// <summary>The constraints as one canonical text ("a<=1, b>2", sorted), to compare two sets given in any order.</summary>
    public static string Describe(this IEnumerable<Constraint> constraints) =>
        string.Join(", ", constraints.Select(c => c.ToString()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
}

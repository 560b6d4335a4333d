using System.Globalization;
using System.Text.RegularExpressions;

namespace Autotune.Search;

/// <summary>
/// What "good enough" means for a study: "accuracy>=0.99", "loss&lt;0.05", "val_auc > 0.9". The
/// comparison also says which way the study searches: up for &gt; and &gt;=, down for &lt; and &lt;=.
/// </summary>
public sealed partial record Target(string Metric, Comparison Comparison, double Value)
{
    public Direction Direction => Comparison is Comparison.Greater or Comparison.GreaterOrEqual
        ? Direction.Maximize
        : Direction.Minimize;

    public bool IsReachedBy(double value) => double.IsFinite(value) && Comparison switch
    {
        Comparison.Greater => value > Value,
        Comparison.GreaterOrEqual => value >= Value,
        Comparison.Less => value < Value,
        _ => value <= Value,
    };

    public override string ToString() => $"{Metric}{Symbol(Comparison)}{SearchValue.Format(Value)}";

    /// <summary>Reads "metric op value"; a bad target throws an ArgumentException that says what to write instead.</summary>
    public static Target Parse(string text) => Parse(text, "target", "write it like \"accuracy>=0.99\" or \"loss<0.05\"");

    /// <summary>The same reading for another rule of the same shape (a constraint), whose messages name it as <paramref name="what"/>.</summary>
    internal static Target Parse(string text, string what, string example)
    {
        var named = char.ToUpperInvariant(what[0]) + what[1..];
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException($"The {what} is empty: {example}.");

        var match = Shape().Match(text);
        if (!match.Success)
        {
            var hint = text.Contains("==") || Regex.IsMatch(text, "(?<![<>!])=(?!=)") || text.Contains("!=")
                ? "only >, >=, < and <= are allowed" : "expected a metric, a comparison and a number";
            throw new ArgumentException($"Cannot read {what} '{text}': {hint}; {example}.");
        }

        var metric = match.Groups["metric"].Value;
        if (!MetricName().IsMatch(metric))
            throw new ArgumentException($"{named} '{text}' names no valid metric '{metric}': use letters, digits, '_', '.', '/' or '-', starting with a letter or '_'; {example}.");

        var number = match.Groups["value"].Value.Trim();
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw new ArgumentException($"{named} '{text}' has no finite number after the comparison ('{number}'); {example}.");

        var comparison = match.Groups["op"].Value switch
        {
            ">" => Comparison.Greater,
            ">=" => Comparison.GreaterOrEqual,
            "<" => Comparison.Less,
            _ => Comparison.LessOrEqual,
        };
        return new Target(metric, comparison, value);
    }

    /// <summary>True when <paramref name="name"/> reads as a metric's name (letters, digits, '_', '.', '/', '-'; a letter or '_' first).</summary>
    public static bool IsMetricName(string name) => MetricName().IsMatch(name);

    internal static string Symbol(Comparison comparison) => comparison switch
    {
        Comparison.Greater => ">",
        Comparison.GreaterOrEqual => ">=",
        Comparison.Less => "<",
        _ => "<=",
    };

    [GeneratedRegex(@"^\s*(?<metric>[^<>=!\s]+)\s*(?<op>>=|<=|>|<)\s*(?<value>[^<>=]*)$")]
    private static partial Regex Shape();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_./-]*$")]
    private static partial Regex MetricName();
}

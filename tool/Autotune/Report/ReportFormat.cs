using System.Globalization;
using Autotune.Search;

namespace Autotune.Report;

/// <summary>Numbers and values written the same way in the HTML, the text and the subject: invariant, short.</summary>
public static class ReportFormat
{
    public static string Number(double? value) => value switch
    {
        null => "-",
        { } v when !double.IsFinite(v) => v.ToString(CultureInfo.InvariantCulture),
        // 1e308 in fixed notation is 309 digits in a mail's subject.
        { } v when Math.Abs(v) >= 1e15 => v.ToString("0.####E+0", CultureInfo.InvariantCulture),
        { } v => v.ToString("0.####", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// A metric's value shown where it is read against the target: as <see cref="Number(double?)"/>, with more
    /// digits where four would read as the wrong side of the goal (0.98999 against "accuracy>=0.99" is
    /// "0.98999", not "0.99", which a reader takes for reached).
    /// </summary>
    public static string Number(double? value, Target? target)
    {
        var text = Number(value);
        if (value is not { } v || target is null || !double.IsFinite(v) || Math.Abs(v) >= 1e15) return text;
        for (var digits = 5; Reads(text) is { } shown && target.IsReachedBy(shown) != target.IsReachedBy(v) && digits <= 17; digits++)
            text = v.ToString("0." + new string('#', digits), CultureInfo.InvariantCulture);
        return text;
    }

    private static double? Reads(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : null;

    /// <summary>A share of a whole as a percentage with one decimal: 0.6123 is "61.2%".</summary>
    public static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string Value(object value) => SearchValue.Format(value);

    public static string Outcome(ReportOutcome outcome) => outcome switch
    {
        ReportOutcome.Reached => "reached",
        ReportOutcome.Missed => "missed",
        ReportOutcome.Failed => "failed",
        ReportOutcome.Infeasible => "infeasible",
        _ => "empty",
    };
}

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

    /// <summary>A share of a whole as a percentage with one decimal: 0.6123 is "61.2%".</summary>
    public static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string Value(object value) => SearchValue.Format(value);

    public static string Outcome(ReportOutcome outcome) => outcome switch
    {
        ReportOutcome.Reached => "reached",
        ReportOutcome.Missed => "missed",
        ReportOutcome.Failed => "failed",
        _ => "empty",
    };
}

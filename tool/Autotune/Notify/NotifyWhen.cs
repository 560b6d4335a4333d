using Autotune.Report;

namespace Autotune.Notify;

/// <summary>Which outcomes are worth a mail: --on success, failure (anything but reaching the target) or always.</summary>
public enum NotifyWhen { Success, Failure, Always }

public static class NotifyWhenRules
{
    public static NotifyWhen? Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "success" => NotifyWhen.Success,
        "failure" => NotifyWhen.Failure,
        "always" => NotifyWhen.Always,
        _ => null,
    };

    public static bool Wants(this NotifyWhen when, StudyReport report) => when switch
    {
        NotifyWhen.Success => report.IsSuccess,
        NotifyWhen.Failure => !report.IsSuccess,
        _ => true,
    };
}

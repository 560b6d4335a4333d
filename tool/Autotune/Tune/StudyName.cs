using Autotune.Cli;

namespace Autotune.Tune;

/// <summary>
/// A study's name becomes a folder (.autotune/studies/&lt;name&gt;-&lt;id&gt;) and a container label, so it is
/// held to what a folder name can be everywhere: no separators, no '..', no control characters, not too long.
/// Checked where the user gives it (--study, autotune.json) and again where a study is opened for trials.
/// </summary>
public static class StudyName
{
    public const int MaxLength = 100;

    public static readonly string Advice = $"a study name is a folder name: no '/', '\\', '..' or control characters, at most {MaxLength} characters";

    /// <summary>What makes <paramref name="name"/> unfit for a folder, or null when it is fit.</summary>
    public static string? Problem(string name)
    {
        if (name.Trim().Length == 0) return "is empty";
        if (name.Length > MaxLength) return $"has {name.Length} characters, more than {MaxLength}";
        if (name.Any(char.IsControl)) return "holds a control character";
        if (name.Contains('/') || name.Contains('\\')) return "holds a path separator";
        if (name.Contains("..", StringComparison.Ordinal)) return "holds '..'";
        return null;
    }

    /// <summary>
    /// The one line that refuses <paramref name="name"/>, or null when it is fit. <paramref name="where"/> says where it
    /// was given ("--study", "autotune.json: 'study'"); a long name is shown cut, since it is not worth a screen.
    /// </summary>
    public static string? Refusal(string name, string where) =>
        Problem(name) is { } problem ? $"{where} '{Shown(name)}' {problem}: {Advice}" : null;

    public static string Check(string name, string where) =>
        Refusal(name, where) is { } refusal ? throw AutotuneException.Invalid(refusal) : name;

    private static string Shown(string name) => name.Length <= 40 ? name : name[..40] + "...";
}

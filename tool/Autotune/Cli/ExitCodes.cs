namespace Autotune.Cli;

/// <summary>The one table of exit codes (DESIGN.md), used by every command and mapped by the Jenkins steps.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>Arguments, configuration or model code are wrong.</summary>
    public const int InvalidInput = 2;
    /// <summary>The budget was spent without reaching the target (Jenkins: UNSTABLE).</summary>
    public const int TargetMissed = 3;
    /// <summary>The model program itself failed.</summary>
    public const int ModelFailed = 4;
    /// <summary>Docker engine, SMTP, disk: the infrastructure failed.</summary>
    public const int Infrastructure = 5;
    /// <summary>An exception autotune did not expect: a bug in autotune (EX_SOFTWARE of sysexits.h).</summary>
    public const int InternalError = 70;
    /// <summary>Stopped by SIGINT (Ctrl+C) or SIGTERM; the same command resumes (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}

/// <summary>
/// A failure the user can act on: its message is the one line printed, its code the exit code.
/// Anything else that reaches the top level is a bug in autotune and is reported as one.
/// </summary>
public sealed class AutotuneException(int exitCode, string message, string? detail = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
    /// <summary>Lines shown under the message, such as the tail of a build or program log.</summary>
    public string? Detail { get; } = detail;

    public static AutotuneException Invalid(string message, string? detail = null) => new(ExitCodes.InvalidInput, message, detail);
}

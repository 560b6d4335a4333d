namespace Autotune.Detect;

public enum ProblemSeverity { Warning, Error }

/// <summary>
/// Something wrong or doubtful in the model code, with its place (file relative to the model folder,
/// 1-based line and column; 0 when the problem has no place). Errors make `autotune detect` exit 2.
/// </summary>
public sealed record DetectProblem(ProblemSeverity Severity, string File, int Line, int Column, string Message)
{
    public bool IsError => Severity == ProblemSeverity.Error;

    public static DetectProblem Error(string file, int line, int column, string message) => new(ProblemSeverity.Error, file, line, column, message);
    public static DetectProblem Warning(string file, int line, int column, string message) => new(ProblemSeverity.Warning, file, line, column, message);

    /// <summary>"Hyper.cs:12:5: message", the form compilers use, so editors and CI logs link it.</summary>
    public override string ToString()
    {
        var place = File.Length == 0 ? "" : Line <= 0 ? $"{File}: " : Column <= 0 ? $"{File}:{Line}: " : $"{File}:{Line}:{Column}: ";
        return place + Message;
    }
}

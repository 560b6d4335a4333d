namespace Autotune.Train;

/// <summary>
/// Turns a trial's (rewritten) copy of the model project into a program to run: `dotnet build`
/// (<see cref="ProjectBuilder"/>) or an in-process Roslyn compile (<see cref="RoslynTrialBuilder"/>).
/// One instance lives for a whole study, so what it learns from the first build is reused.
/// </summary>
public interface ITrialBuilder
{
    Task<BuiltProgram> BuildAsync(ModelProject project, string outputFolder, string logFile, CancellationToken cancel);
}

namespace Autotune.Train.Metrics;

/// <summary>
/// How the metrics of a program that does not use the Autotune SDK are read: from its standard
/// output, or from a metrics file it writes (a path relative to the folder the program runs in),
/// through the default patterns and the expressions autotune.json gives.
/// </summary>
/// <param name="OutputToo">The metrics file was found in the code, not named in autotune.json: the output is
/// read as well, and the file wins for the epochs it reports (see <see cref="ProgramMetricReader"/>).</param>
public sealed record ProgramOutput(MetricPatterns Patterns, string? MetricsFile = null, bool OutputToo = false)
{
    public static readonly ProgramOutput Default = new(MetricPatterns.None);

    /// <summary>Null for a project that references Autotune.Sdk: its metrics come from metrics.jsonl.</summary>
    public static ProgramOutput? ForProject(ModelProject project, IReadOnlyDictionary<string, string>? patterns = null,
        string? metricsFile = null, string? settingsFile = null) =>
        project.ReferencesSdk ? null
            : new ProgramOutput(MetricPatterns.Compile(patterns, settingsFile ?? Path.Combine(project.Folder, "autotune.json")), metricsFile);

    public string Describe() => MetricsFile is null ? "the program's output"
        : OutputToo ? $"the metrics file {MetricsFile} (which the code writes) and the program's output" : $"the metrics file {MetricsFile}";
}

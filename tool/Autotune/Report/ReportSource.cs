using Autotune.Cli;
using Autotune.Study;
using Autotune.Train;

namespace Autotune.Report;

/// <summary>Finds a model's study in its store (&lt;model-dir&gt;/.autotune/study.db) and turns it into a StudyReport.</summary>
public static class ReportSource
{
    public static StudyReport Load(string modelDir, string? studyName, DateTimeOffset now)
    {
        var project = ModelProject.Open(modelDir);
        var path = project.StudyStorePath;
        StudyStore.RequireExisting(path, $"run `autotune run {modelDir}` first");
        using var store = StudyStore.Open(path);
        var name = studyName ?? project.Name;
        var study = store.FindStudy(name) ?? throw AutotuneException.Invalid(
            $"{path} has no study '{name}' (it has: {string.Join(", ", store.StudyNames())}); pass --study");
        return StudyReport.From(study, store.Trials(study), now, SourceChange.Latest(store.Events(study)));
    }

    /// <summary>&lt;model-dir&gt;/.autotune/report: where `report` writes unless told otherwise.</summary>
    public static string DefaultFolder(string modelDir) => Path.Combine(ModelProject.Open(modelDir).StateFolder, "report");
}

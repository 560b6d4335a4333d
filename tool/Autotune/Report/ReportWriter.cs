namespace Autotune.Report;

/// <summary>The files a report is made of, by absolute path; ImportanceChart is null when too few trials completed for one.</summary>
public sealed record WrittenReport(string Folder, string Html, string Json, string Text, string TrialsChart, string EpochsChart, string? ImportanceChart)
{
    /// <summary>pareto.png, for a study with secondary objectives (`--minimize`); null otherwise.</summary>
    public string? ParetoChart { get; init; }
}

/// <summary>Writes a report folder: report.html with its PNG charts, report.json and report.txt.</summary>
public static class ReportWriter
{
    public const string HtmlFile = "report.html";
    public const string JsonFile = "report.json";
    public const string TextFile = "report.txt";

    public static WrittenReport Write(StudyReport report, string folder, ReportTemplates templates)
    {
        folder = Path.GetFullPath(folder);
        // Render everything before writing anything, so a broken template leaves the last good report intact.
        var html = templates.Html(report, ChartSources.Files, mail: false);
        var text = templates.Text(report);
        var json = ReportJson.Write(report);
        var trials = ReportCharts.Trials(report);
        var epochs = ReportCharts.Epochs(report);
        var importance = report.Importance.IsKnown ? ReportCharts.Importance(report) : null;
        var pareto = report.MinimizeList.Count > 0 ? ReportCharts.Pareto(report) : null;

        Directory.CreateDirectory(folder);
        var importanceFile = Path.Combine(folder, ReportCharts.ImportanceFile);
        var written = new WrittenReport(folder, Path.Combine(folder, HtmlFile), Path.Combine(folder, JsonFile), Path.Combine(folder, TextFile),
            Path.Combine(folder, ReportCharts.TrialsFile), Path.Combine(folder, ReportCharts.EpochsFile), importance is null ? null : importanceFile)
        {
            ParetoChart = pareto is null ? null : Path.Combine(folder, ReportCharts.ParetoFile),
        };
        File.WriteAllBytes(written.TrialsChart, trials);
        File.WriteAllBytes(written.EpochsChart, epochs);
        // An earlier report's chart would otherwise sit beside a report that says there is none.
        if (importance is null) File.Delete(importanceFile); else File.WriteAllBytes(importanceFile, importance);
        if (pareto is null) File.Delete(Path.Combine(folder, ReportCharts.ParetoFile)); else File.WriteAllBytes(written.ParetoChart!, pareto);
        File.WriteAllText(written.Json, json);
        File.WriteAllText(written.Text, text);
        File.WriteAllText(written.Html, html);
        return written;
    }
}

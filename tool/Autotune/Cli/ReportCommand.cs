using System.CommandLine;
using Autotune.Report;

namespace Autotune.Cli;

/// <summary>`autotune report &lt;model-dir&gt; [--study S] [--out DIR] [--templates DIR]`: write report.html, report.json and the charts.</summary>
public static class ReportCommand
{
    public sealed record Options(string ModelDir, string? Study, string? Out, string? Templates);

    public static Command Create()
    {
        var modelDir = new Argument<string>("model-dir") { Description = "Folder of the model project" };
        var study = new Option<string?>("--study") { Description = "Study name (default: the project's name)" };
        var output = new Option<string?>("--out") { Description = "Folder to write the report to (default: <model-dir>/.autotune/report)" };
        var templates = new Option<string?>("--templates") { Description = $"Folder with your own {ReportTemplates.HtmlFile} and/or {ReportTemplates.TextFile} (default: <model-dir>/{ReportTemplates.ModelOverrideFolder} when it exists, else the built-in ones)" };
        var command = new Command("report", "Write the study's report: report.html with charts, report.json (schema autotune.report/1, see docs/report-schema.md) and report.txt")
        {
            modelDir, study, output, templates,
        };
        command.SetAction(parse => Run(new Options(parse.GetValue(modelDir)!, parse.GetValue(study), parse.GetValue(output), parse.GetValue(templates)),
            parse.InvocationConfiguration.Output));
        return command;
    }

    /// <summary>Exit 0 whatever the outcome: writing a report succeeded; `run` is what says whether the target was met.</summary>
    public static int Run(Options o, TextWriter output)
    {
        var report = ReportSource.Load(o.ModelDir, o.Study, DateTimeOffset.UtcNow);
        var written = ReportWriter.Write(report, o.Out ?? ReportSource.DefaultFolder(o.ModelDir), ReportTemplates.For(o.ModelDir, o.Templates));
        output.WriteLine(report.Headline());
        output.WriteLine($"report: {written.Html}");
        output.WriteLine($"json:   {written.Json}");
        return ExitCodes.Success;
    }
}

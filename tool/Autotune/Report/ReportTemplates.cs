using Autotune.Cli;
using Scriban;
using Scriban.Runtime;

namespace Autotune.Report;

/// <summary>
/// The Scriban templates of the report family: report.html.sbn (page and mail) and report.txt.sbn
/// (mail text and report.txt). Each file is taken from the override folder when it has it, else
/// from the templates that ship with the tool, so a repository can replace one and keep the other.
/// </summary>
public sealed class ReportTemplates
{
    public const string HtmlFile = "report.html.sbn";
    public const string TextFile = "report.txt.sbn";

    /// <summary>Where a repository puts its own report templates, relative to the model folder.</summary>
    public const string ModelOverrideFolder = "templates/report";

    public static string BuiltinFolder => Path.Combine(AppContext.BaseDirectory, "templates", "report");

    public string? OverrideFolder { get; }

    /// <summary>The folder every override must lie in once links are followed: the model folder, or the one --templates named.</summary>
    private readonly string? boundary;
    private readonly string boundaryWords;

    /// <param name="modelDir">The model folder the override folder lies in (its templates/report); null when the user named the folder (--templates).</param>
    public ReportTemplates(string? overrideFolder = null, string? modelDir = null)
    {
        if (overrideFolder is not null && !Directory.Exists(overrideFolder))
            throw AutotuneException.Invalid($"template folder {overrideFolder} does not exist: pass a folder holding {HtmlFile} and/or {TextFile}");
        OverrideFolder = overrideFolder;
        (boundary, boundaryWords) = modelDir is not null ? (modelDir, "the model folder") : (overrideFolder, "the template folder");
    }

    /// <summary>--templates when given, else the model folder's templates/report when it exists, else the built-in ones.</summary>
    public static ReportTemplates For(string modelDir, string? option)
    {
        if (option is not null) return new ReportTemplates(Path.GetFullPath(option));
        var inModel = Path.Combine(modelDir, ModelOverrideFolder);
        return new ReportTemplates(Directory.Exists(inModel) ? inModel : null, modelDir);
    }

    public string Html(StudyReport report, ChartSources charts, bool mail) =>
        Render(HtmlFile, ReportModel.Build(report, html: true, charts, mail));

    public string Text(StudyReport report) =>
        Render(TextFile, ReportModel.Build(report, html: false, ChartSources.Files, mail: true));

    public string PathOf(string file)
    {
        if (OverrideFolder is not null && File.Exists(Path.Combine(OverrideFolder, file)))
        {
            // A repository's template is rendered into a report that is mailed: a link to a host file would mail that file.
            Detect.RepositoryFile.CheckInside(boundary!, Path.Combine(OverrideFolder, file), boundaryWords);
            return Path.Combine(OverrideFolder, file);
        }
        var builtin = Path.Combine(BuiltinFolder, file);
        if (!File.Exists(builtin))
            throw new AutotuneException(ExitCodes.Infrastructure, $"the built-in template {builtin} is missing: reinstall autotune");
        return builtin;
    }

    private string Render(string file, ScriptObject model)
    {
        var path = PathOf(file);
        var template = Template.Parse(File.ReadAllText(path), path);
        if (template.HasErrors)
            throw AutotuneException.Invalid($"{template.Messages[0]}: fix the template or remove it to use the built-in one");
        var context = new TemplateContext { StrictVariables = false, LoopLimit = 100_000 };
        context.PushGlobal(model);
        try
        {
            return template.Render(context);
        }
        catch (Scriban.Syntax.ScriptRuntimeException e)
        {
            throw AutotuneException.Invalid($"{path}: {e.OriginalMessage} at {e.Span}: fix the template or remove it to use the built-in one");
        }
    }
}

using Autotune.Report;
using MimeKit;
using MimeKit.Utils;

namespace Autotune.Notify;

/// <summary>
/// The report as a mail: multipart/alternative of the plain text and the HTML, the HTML in a
/// multipart/related with its charts attached inline and referenced by Content-ID, so mail
/// clients show them without fetching anything.
/// </summary>
public static class MailComposer
{
    public static MimeMessage Compose(StudyReport report, ReportTemplates templates, SmtpSettings smtp, IReadOnlyList<MailboxAddress> to)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From));
        message.To.AddRange(to);
        message.Subject = report.Headline();

        var body = new BodyBuilder();
        var trials = body.LinkedResources.Add(ReportCharts.TrialsFile, ReportCharts.Trials(report), ContentType.Parse("image/png"));
        var epochs = body.LinkedResources.Add(ReportCharts.EpochsFile, ReportCharts.Epochs(report), ContentType.Parse("image/png"));
        trials.ContentId = MimeUtils.GenerateMessageId();
        epochs.ContentId = MimeUtils.GenerateMessageId();
        string? importance = null;
        if (report.Importance.IsKnown)
        {
            var chart = body.LinkedResources.Add(ReportCharts.ImportanceFile, ReportCharts.Importance(report), ContentType.Parse("image/png"));
            chart.ContentId = MimeUtils.GenerateMessageId();
            importance = "cid:" + chart.ContentId;
        }
        string? pareto = null;
        if (report.MinimizeList.Count > 0)
        {
            var chart = body.LinkedResources.Add(ReportCharts.ParetoFile, ReportCharts.Pareto(report), ContentType.Parse("image/png"));
            chart.ContentId = MimeUtils.GenerateMessageId();
            pareto = "cid:" + chart.ContentId;
        }
        body.HtmlBody = templates.Html(report, new ChartSources("cid:" + trials.ContentId, "cid:" + epochs.ContentId, importance, pareto), mail: true);
        body.TextBody = templates.Text(report);
        message.Body = body.ToMessageBody();
        return message;
    }
}

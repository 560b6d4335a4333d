using Autotune.Cli;
using Autotune.Report;

namespace Autotune.Notify;

/// <summary>What became of a notification.</summary>
public sealed record NotifyResult(bool Sent, string Subject, int Attempts, string Why);

/// <summary>
/// Sends a study's report by mail: decides by --on whether to, composes it, and hands it to the
/// transport, retrying the transient failures (4xx replies, dropped connections) a few times with
/// a short, growing pause. Anything else fails at once as exit 5 with one line.
/// </summary>
public sealed class Notifier(IMailTransport transport, IReadOnlyList<TimeSpan> retryPauses)
{
    /// <summary>Three tries: now, after 1 s, after 2 s more. Mail is worth a few seconds, not a stuck pipeline.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetryPauses = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    public static Notifier Default { get; } = new(new SmtpMailTransport(), DefaultRetryPauses);

    /// <summary>Sends the mail (when --on wants it); an SMTP failure throws AutotuneException with exit 5 and no password in it.</summary>
    public static Task<NotifyResult> SendAsync(NotifyOptions options, StudyReport report, ReportTemplates templates, CancellationToken cancel) =>
        Default.SendReportAsync(options, report, templates, cancel);

    /// <summary>
    /// For `autotune run --notify`: call this last, after the study is recorded, the best values are
    /// written back and the report is on disk. The contract: a mail that cannot be sent never erases
    /// the run's result. Nothing of the run is undone; the failure is printed as one line on
    /// <paramref name="error"/>; the exit code stays the run's own when that is not 0 (3 target missed,
    /// 4 model failed say more about the run than the mail does) and becomes 5 only when the run
    /// succeeded, so CI still sees that nobody was told.
    /// </summary>
    public static async Task<int> AfterRunAsync(NotifyOptions options, StudyReport report, ReportTemplates templates,
        int runExitCode, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        try
        {
            var result = await SendAsync(options, report, templates, cancel);
            output.WriteLine(result.Why);
            return runExitCode;
        }
        catch (AutotuneException e)
        {
            error.WriteLine($"autotune: notify failed, the run's result stands: {CommandLine.OneLine(e.Message)}");
            return runExitCode != ExitCodes.Success ? runExitCode : e.ExitCode;
        }
    }

    public async Task<NotifyResult> SendReportAsync(NotifyOptions options, StudyReport report, ReportTemplates templates, CancellationToken cancel)
    {
        var subject = report.Headline();
        if (!options.On.Wants(report))
            return new NotifyResult(false, subject, 0,
                $"not sent: the study {(report.IsSuccess ? "reached" : "did not reach")} its target and --on is {options.On.ToString().ToLowerInvariant()}");

        var message = MailComposer.Compose(report, templates, options.Smtp, options.To);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await transport.SendAsync(options.Smtp, message, cancel);
                return new NotifyResult(true, subject, attempt,
                    $"sent \"{subject}\" to {string.Join(", ", options.To.Select(t => t.Address))} through {options.Smtp.Endpoint}");
            }
            catch (SmtpFailure failure) when (failure.Transient && attempt <= retryPauses.Count)
            {
                await Task.Delay(retryPauses[attempt - 1], cancel);
            }
            catch (SmtpFailure failure)
            {
                var tries = attempt > 1 ? $" (after {attempt} tries)" : "";
                throw new AutotuneException(ExitCodes.Infrastructure, (options.Smtp.Password?.Redact(failure.Message) ?? failure.Message) + tries);
            }
        }
    }
}

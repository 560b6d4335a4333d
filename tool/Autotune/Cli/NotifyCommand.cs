using System.CommandLine;
using Autotune.Notify;
using Autotune.Report;

namespace Autotune.Cli;

/// <summary>`autotune notify &lt;model-dir&gt; --to a@b[,c@d]`: mail the study's report through SMTP (MailKit).</summary>
public static class NotifyCommand
{
    public sealed record Options(string ModelDir, string? Study, string To, string On, string? Templates, SmtpSettings.Given Smtp);

    public static Command Create()
    {
        var modelDir = new Argument<string>("model-dir") { Description = "Folder of the model project" };
        var study = new Option<string?>("--study") { Description = "Study name (default: the project's name)" };
        var to = new Option<string>("--to") { Description = "Recipients, comma-separated: a@example.com,b@example.com", Required = true };
        var on = new Option<string>("--on") { Description = "When to send: success (target reached), failure (anything else) or always", DefaultValueFactory = _ => "always" };
        on.Validators.Add(r => { if (NotifyWhenRules.Parse(r.GetValueOrDefault<string>() ?? "") is null) r.AddError($"--on '{r.GetValueOrDefault<string>()}' is not one of success, failure, always"); });
        var templates = new Option<string?>("--templates") { Description = "Folder with your own report.html.sbn and/or report.txt.sbn" };
        var (smtpOptions, given) = SmtpOptions();
        var command = new Command("notify", "Mail the study's report (HTML with inline charts, and plain text) through an SMTP server")
        {
            modelDir, study, to, on, templates,
        };
        foreach (var o in smtpOptions) command.Options.Add(o);
        command.SetAction((parse, cancel) => RunAsync(
            new Options(parse.GetValue(modelDir)!, parse.GetValue(study), parse.GetValue(to)!, parse.GetValue(on)!, parse.GetValue(templates), given(parse)),
            parse.InvocationConfiguration.Output, cancel));
        return command;
    }

    /// <summary>The --smtp-* options, shared with `run --notify`; the password deliberately has no option, only a file or a variable.</summary>
    public static (IReadOnlyList<Option> Options, Func<ParseResult, SmtpSettings.Given> Read) SmtpOptions()
    {
        var host = new Option<string?>("--smtp-host") { Description = $"SMTP server (default: {SmtpSettings.HostVariable})" };
        var port = new Option<int?>("--smtp-port") { Description = $"SMTP port (default: {SmtpSettings.PortVariable}, else 25, 587 or 465 by --smtp-tls)" };
        var tls = new Option<string?>("--smtp-tls") { Description = $"none, starttls or tls (default: {SmtpSettings.TlsVariable}, else starttls)" };
        var user = new Option<string?>("--smtp-user") { Description = $"Login (default: {SmtpSettings.UserVariable}; none: no login)" };
        var passwordFile = new Option<string?>("--smtp-password-file") { Description = $"File holding the password (else {SmtpSettings.PasswordVariable})" };
        var insecure = new Option<bool>("--smtp-insecure") { Description = "Accept a TLS certificate that does not verify (self-signed): for test servers only" };
        var timeout = new Option<int>("--smtp-timeout") { Description = "Seconds one attempt may take, from connecting to the server's last answer", DefaultValueFactory = _ => 30 };
        var from = new Option<string?>("--from") { Description = $"Sender address (default: {SmtpSettings.FromVariable}, else {SmtpSettings.DefaultFrom})" };
        return ([host, port, tls, user, passwordFile, insecure, timeout, from], parse => new SmtpSettings.Given(
            parse.GetValue(host), parse.GetValue(port), parse.GetValue(tls), parse.GetValue(user), parse.GetValue(passwordFile),
            parse.GetValue(insecure), parse.GetValue(timeout), parse.GetValue(from)));
    }

    /// <summary>Exit 0 when sent or not wanted by --on, 5 when the server could not be used, 2 for bad options.</summary>
    public static async Task<int> RunAsync(Options o, TextWriter output, CancellationToken cancel)
    {
        var options = new NotifyOptions(NotifyOptions.ParseRecipients(o.To), NotifyWhenRules.Parse(o.On)!.Value,
            SmtpSettings.Resolve(o.Smtp, Environment.GetEnvironmentVariable));
        var report = ReportSource.Load(o.ModelDir, o.Study, DateTimeOffset.UtcNow);
        var result = await Notifier.SendAsync(options, report, ReportTemplates.For(o.ModelDir, o.Templates), cancel);
        output.WriteLine(result.Why);
        return ExitCodes.Success;
    }
}

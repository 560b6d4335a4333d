using Autotune.Cli;
using Autotune.Notify;
using Autotune.Report;
using Autotune.Tests.Report;
using MimeKit;

namespace Autotune.Tests.Notify;

public sealed class NotifierTests : IDisposable
{
    private const string Canary = "CANARY-pw-7f3a9c21";
    private readonly SyntheticStudy study = new();
    private StudyReport Report => ReportSource.Load(study.ModelDir, null, DateTimeOffset.UnixEpoch);

    /// <summary>Fails with the given failures in turn, then accepts; records what it was handed.</summary>
    private sealed class FakeTransport(params SmtpFailure[] failures) : IMailTransport
    {
        public List<MimeMessage> Sent { get; } = [];
        public int Calls { get; private set; }

        public Task SendAsync(SmtpSettings smtp, MimeMessage message, CancellationToken cancel)
        {
            Calls++;
            if (Calls <= failures.Length) throw failures[Calls - 1];
            Sent.Add(message);
            return Task.CompletedTask;
        }
    }

    private static SmtpSettings Smtp(string? password = Canary) => new("mail.example.com", 587, SmtpTls.StartTls, password is null ? null : "ci-bot",
        password is null ? null : new SmtpPassword(password), Insecure: false, TimeSpan.FromSeconds(5), "autotune@example.com");

    private static NotifyOptions Options(NotifyWhen on = NotifyWhen.Always) =>
        new(NotifyOptions.ParseRecipients("dev@example.com, lead@example.org"), on, Smtp());

    private static Notifier WithoutPauses(IMailTransport transport) => new(transport, [TimeSpan.Zero, TimeSpan.Zero]);

    [Fact]
    public async Task Transient_failures_are_retried_and_the_third_try_delivers()
    {
        var transport = new FakeTransport(new SmtpFailure("451 busy", transient: true), new SmtpFailure("dropped", transient: true));

        var result = await WithoutPauses(transport).SendReportAsync(Options(), Report, new ReportTemplates(), CancellationToken.None);

        result.Sent.ShouldBeTrue();
        result.Attempts.ShouldBe(3);
        transport.Sent.ShouldHaveSingleItem().Subject.ShouldBe("mnist-cnn reached accuracy 0.9931 (target accuracy>=0.99) in 5 trials");
    }

    [Fact]
    public async Task Transient_failures_give_up_after_three_tries_with_exit_5()
    {
        var transport = new FakeTransport(Enumerable.Repeat(new SmtpFailure("451 busy", transient: true), 5).ToArray());

        var e = await Should.ThrowAsync<AutotuneException>(() => WithoutPauses(transport).SendReportAsync(Options(), Report, new ReportTemplates(), CancellationToken.None));

        e.ExitCode.ShouldBe(ExitCodes.Infrastructure);
        e.Message.ShouldBe("451 busy (after 3 tries)");
        transport.Calls.ShouldBe(3);
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried()
    {
        var transport = new FakeTransport(new SmtpFailure("rejected the login", transient: false));

        await Should.ThrowAsync<AutotuneException>(() => WithoutPauses(transport).SendReportAsync(Options(), Report, new ReportTemplates(), CancellationToken.None));

        transport.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task On_success_sends_nothing_when_the_target_was_missed()
    {
        using var missed = new SyntheticStudy(target: "accuracy>=0.999");
        var transport = new FakeTransport();

        var result = await WithoutPauses(transport).SendReportAsync(Options(NotifyWhen.Success),
            ReportSource.Load(missed.ModelDir, null, DateTimeOffset.UnixEpoch), new ReportTemplates(), CancellationToken.None);

        result.Sent.ShouldBeFalse();
        transport.Calls.ShouldBe(0);
        result.Subject.ShouldBe("mnist-cnn did not reach accuracy>=0.999 in 5 trials: best accuracy 0.9931");
    }

    [Theory]
    [InlineData(ExitCodes.Success, ExitCodes.Infrastructure)]
    [InlineData(ExitCodes.TargetMissed, ExitCodes.TargetMissed)]
    [InlineData(ExitCodes.ModelFailed, ExitCodes.ModelFailed)]
    public async Task After_a_run_a_failed_mail_keeps_the_runs_verdict_and_turns_only_success_into_exit_5(int runCode, int expected)
    {
        var options = Options() with { Smtp = Smtp() with { Host = "127.0.0.1", Port = SmtpTestServer.FreePort(), Tls = SmtpTls.None, Timeout = TimeSpan.FromSeconds(3) } };
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await Notifier.AfterRunAsync(options, Report, new ReportTemplates(), runCode, output, error, CancellationToken.None);

        code.ShouldBe(expected);
        error.ToString().ShouldStartWith("autotune: notify failed, the run's result stands: SMTP server 127.0.0.1:");
        error.ToString().ShouldNotContain(Canary);
    }

    [Fact]
    public void The_settings_print_the_password_as_stars()
    {
        var settings = Smtp();

        settings.ToString().ShouldNotContain(Canary);
        settings.ToString().ShouldContain("Password = ***");
        $"{settings.Password}".ShouldBe("***");
    }

    [Fact]
    public void A_failure_message_that_quotes_the_password_is_scrubbed_plain_and_base64()
    {
        var base64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Canary));
        var failure = SmtpMailTransport.Describe(new IOException($"server said: bad {Canary} / {base64}"), Smtp(), System.Net.Security.SslPolicyErrors.None);

        failure.Message.ShouldNotContain(Canary);
        failure.Message.ShouldNotContain(base64);
        failure.Transient.ShouldBeTrue();
    }

    [Fact]
    public void Options_win_over_environment_variables_and_the_port_follows_the_tls_mode()
    {
        var env = new Dictionary<string, string> { ["AUTOTUNE_SMTP_HOST"] = "env.example.com", ["AUTOTUNE_SMTP_TLS"] = "tls", ["AUTOTUNE_SMTP_USER"] = "env-user", ["AUTOTUNE_SMTP_PASSWORD"] = Canary };
        var given = new SmtpSettings.Given("opt.example.com", null, null, null, null, false, 30, null);

        var settings = SmtpSettings.Resolve(given, n => env.GetValueOrDefault(n));

        settings.Host.ShouldBe("opt.example.com");
        settings.Tls.ShouldBe(SmtpTls.Tls);
        settings.Port.ShouldBe(465);
        settings.User.ShouldBe("env-user");
        settings.Password.ShouldNotBeNull().Reveal().ShouldBe(Canary);
        settings.From.ShouldBe("autotune@localhost");
    }

    [Fact]
    public void A_user_without_a_password_is_invalid_input_that_names_where_the_password_comes_from()
    {
        var given = new SmtpSettings.Given("h", null, "none", "ci-bot", null, false, 30, null);

        var e = Should.Throw<AutotuneException>(() => SmtpSettings.Resolve(given, _ => null));

        e.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        e.Message.ShouldBe("SMTP user 'ci-bot' has no password: set AUTOTUNE_SMTP_PASSWORD or pass --smtp-password-file");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-address")]
    [InlineData("a@b.c,,nobody")]
    public void A_malformed_recipient_list_is_invalid_input(string to) =>
        Should.Throw<AutotuneException>(() => NotifyOptions.ParseRecipients(to)).ExitCode.ShouldBe(ExitCodes.InvalidInput);

    [Fact]
    public void The_mail_has_a_text_part_and_an_html_part_whose_charts_are_inline_by_content_id()
    {
        var message = MailComposer.Compose(Report, new ReportTemplates(), Smtp(), NotifyOptions.ParseRecipients("dev@example.com"));

        var alternative = message.Body.ShouldBeOfType<MultipartAlternative>();
        alternative.Count.ShouldBe(2);
        var related = alternative[1].ShouldBeOfType<MultipartRelated>();
        var html = ((TextPart)related[0]).Text;
        related.Skip(1).Cast<MimePart>().Select(p => p.ContentId).ShouldAllBe(id => html.Contains("cid:" + id));
        html.ShouldNotContain("src=\"trials.png\"");
    }

    [Fact]
    public void A_report_that_knows_which_parameters_mattered_mails_that_chart_inline_as_well()
    {
        var message = MailComposer.Compose(SyntheticStudy.OfRandomTrials(24), new ReportTemplates(), Smtp(), NotifyOptions.ParseRecipients("dev@example.com"));

        var related = message.Body.ShouldBeOfType<MultipartAlternative>()[1].ShouldBeOfType<MultipartRelated>();
        var html = ((TextPart)related[0]).Text;
        var images = related.Skip(1).Cast<MimePart>().ToList();
        images.Count.ShouldBe(3);
        images.Select(p => p.ContentId).ShouldAllBe(id => html.Contains("cid:" + id));
        html.ShouldContain("<img id=\"chart-importance\" src=\"cid:");
    }

    [Fact]
    public void A_report_with_a_pareto_front_mails_that_chart_inline_as_well()
    {
        using var pareto = new ParetoStudy();
        var report = ReportSource.Load(pareto.ModelDir, null, DateTimeOffset.UnixEpoch);

        var message = MailComposer.Compose(report, new ReportTemplates(), Smtp(null), NotifyOptions.ParseRecipients("dev@example.com"));

        var related = message.Body.ShouldBeOfType<MultipartAlternative>()[1].ShouldBeOfType<MultipartRelated>();
        var html = ((TextPart)related[0]).Text;
        related.Skip(1).Cast<MimePart>().Select(p => p.ContentId).ShouldAllBe(id => html.Contains("cid:" + id));
        html.ShouldContain("<img id=\"chart-pareto\" src=\"cid:");
    }

    public void Dispose() => study.Dispose();
}

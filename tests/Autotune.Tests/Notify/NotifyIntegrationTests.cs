using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Autotune.Tests.Report;
using Autotune.Tests.Support;
using MimeKit;

namespace Autotune.Tests.Notify;

/// <summary>`autotune notify` as a separate process against a real SMTP server (aiosmtpd) on 127.0.0.1.</summary>
[Trait("Category", "Integration")]
public sealed class NotifyIntegrationTests : IDisposable
{
    /// <summary>A password that must never be seen: not in output, report, mail, server log or message.</summary>
    private const string Canary = "CANARY-pw-7f3a9c21";
    private readonly string scratch = Directory.CreateTempSubdirectory("autotune-notify-").FullName;
    private readonly SyntheticStudy study = new();

    private Task<Tool.Result> Notify(int port, string? password, params string[] more)
    {
        var env = new Dictionary<string, string> { ["AUTOTUNE_SMTP_HOST"] = "127.0.0.1", ["AUTOTUNE_SMTP_PORT"] = port.ToString() };
        if (password is not null) { env["AUTOTUNE_SMTP_USER"] = SmtpTestServer.User; env["AUTOTUNE_SMTP_PASSWORD"] = password; }
        var timeout = more.Contains("--smtp-timeout") ? [] : new[] { "--smtp-timeout", "10" };
        return Tool.RunAsync(["notify", study.ModelDir, "--to", "dev@example.com,lead@example.org", .. timeout, .. more], env, timeout: TimeSpan.FromSeconds(60));
    }

    private void ShouldNotLeak(Tool.Result result, params SmtpTestServer[] servers)
    {
        var base64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Canary));
        var places = new List<(string Where, string Text)> { ("output", result.All) };
        places.AddRange(servers.Select(s => ("server log", s.Log())));
        places.AddRange(servers.SelectMany(s => Directory.GetFiles(s.Folder)).Select(f => (f, File.ReadAllText(f))));
        var reportFolder = Path.Combine(study.ModelDir, ".autotune");
        if (Directory.Exists(reportFolder))
            places.AddRange(Directory.GetFiles(reportFolder, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".db-wal") && !f.EndsWith(".db-shm"))
                .Select(f => (f, File.ReadAllText(f))));
        foreach (var (where, text) in places)
        {
            text.ShouldNotContain(Canary, customMessage: $"the canary password leaked into {where}");
            text.ShouldNotContain(base64, customMessage: $"the canary password (base64) leaked into {where}");
        }
    }

    private static void ShouldBeOneLineExit5(Tool.Result result, string contains)
    {
        result.ExitCode.ShouldBe(5, result.All);
        result.Error.Trim().Split('\n').Length.ShouldBe(1, result.Error);
        result.Error.ShouldStartWith("autotune: ");
        result.Error.ShouldContain(contains, Case.Insensitive);
    }

    [Fact]
    public async Task The_mail_arrives_for_every_recipient_with_the_outcome_in_the_subject_both_parts_and_inline_charts()
    {
        using var server = SmtpTestServer.Start(scratch, password: Canary);

        var result = await Notify(server.Port, Canary, "--smtp-tls", "none", "--from", "autotune@ci.example.com");

        result.ExitCode.ShouldBe(0, result.All);
        var received = server.Messages().ShouldHaveSingleItem();
        received.To.ShouldBe(["dev@example.com", "lead@example.org"], ignoreOrder: true);
        received.From.ShouldBe("autotune@ci.example.com");
        var message = received.Message;
        message.Subject.ShouldBe("mnist-cnn reached accuracy 0.9931 (target accuracy>=0.99) in 5 trials");
        message.To.Mailboxes.Select(m => m.Address).ShouldBe(["dev@example.com", "lead@example.org"]);

        var alternative = message.Body.ShouldBeOfType<MultipartAlternative>();
        alternative[0].ContentType.MimeType.ShouldBe("text/plain");
        var related = alternative[1].ShouldBeOfType<MultipartRelated>();
        var html = related.OfType<TextPart>().Single(p => p.IsHtml).Text;
        var images = related.OfType<MimePart>().Where(p => p.ContentType.MimeType == "image/png").ToList();
        images.Count.ShouldBe(2);
        foreach (var image in images)
        {
            html.ShouldContain($"src=\"cid:{image.ContentId}\"");
            using var png = new MemoryStream();
            image.Content.ShouldNotBeNull().DecodeTo(png);
            png.ToArray().Take(4).ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
        }
        html.ShouldNotContain("<script>");
        ((TextPart)alternative[0]).Text.ShouldContain("Best trial: 2 (completed), accuracy 0.9931");
        result.Output.ShouldContain("sent \"mnist-cnn reached accuracy 0.9931");
        ShouldNotLeak(result, server);
    }

    [Fact]
    public async Task Starttls_with_a_self_signed_certificate_is_refused_without_smtp_insecure_and_accepted_with_it()
    {
        var certificate = TestCertificate.Create(scratch);
        using var server = SmtpTestServer.Start(scratch, tls: "starttls", password: Canary, certificate: certificate);

        var refused = await Notify(server.Port, Canary, "--smtp-tls", "starttls");
        ShouldBeOneLineExit5(refused, "certificate was rejected");
        refused.Error.ShouldContain("--smtp-insecure");
        server.Messages().ShouldBeEmpty();

        var accepted = await Notify(server.Port, Canary, "--smtp-tls", "starttls", "--smtp-insecure");
        accepted.ExitCode.ShouldBe(0, accepted.All);
        server.Messages().ShouldHaveSingleItem();
        ShouldNotLeak(refused, server);
        ShouldNotLeak(accepted, server);
    }

    [Fact]
    public async Task Implicit_tls_sends_with_smtp_insecure()
    {
        using var server = SmtpTestServer.Start(scratch, tls: "tls", password: Canary, certificate: TestCertificate.Create(scratch));

        var result = await Notify(server.Port, Canary, "--smtp-tls", "tls", "--smtp-insecure");

        result.ExitCode.ShouldBe(0, result.All);
        server.Messages().ShouldHaveSingleItem().Message.Subject.ShouldStartWith("mnist-cnn reached");
    }

    [Fact]
    public async Task A_failed_login_is_one_line_with_exit_5_and_the_password_appears_nowhere()
    {
        using var server = SmtpTestServer.Start(scratch, password: "the-right-one");

        var result = await Notify(server.Port, Canary, "--smtp-tls", "none");

        ShouldBeOneLineExit5(result, "rejected the login of user 'ci-bot'");
        server.Messages().ShouldBeEmpty();
        ShouldNotLeak(result, server);
    }

    [Fact]
    public async Task A_password_from_a_file_logs_in_and_never_shows()
    {
        using var server = SmtpTestServer.Start(scratch, password: Canary);
        var file = Path.Combine(scratch, "smtp-password");
        File.WriteAllText(file, Canary + "\n");

        var result = await Notify(server.Port, null, "--smtp-tls", "none", "--smtp-user", SmtpTestServer.User, "--smtp-password-file", file);

        result.ExitCode.ShouldBe(0, result.All);
        server.Messages().ShouldHaveSingleItem();
        ShouldNotLeak(result, server);
    }

    [Fact]
    public async Task A_refused_connection_is_one_line_with_exit_5_at_once()
    {
        var closedPort = SmtpTestServer.FreePort();
        var clock = Stopwatch.StartNew();

        var result = await Notify(closedPort, Canary, "--smtp-tls", "none");

        ShouldBeOneLineExit5(result, "refused the connection");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        ShouldNotLeak(result);
    }

    [Fact]
    public async Task A_server_that_never_answers_is_one_line_with_exit_5_within_the_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<TcpClient>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            // Accepts and says nothing: the client must give up on its own.
            try { while (true) held.Add(await silent.AcceptTcpClientAsync(stop.Token)); }
            catch (OperationCanceledException) { }
        });
        var clock = Stopwatch.StartNew();

        var result = await Notify(((IPEndPoint)silent.LocalEndpoint).Port, Canary, "--smtp-tls", "none", "--smtp-timeout", "2");
        var elapsed = clock.Elapsed;
        stop.Cancel();
        await accepting;
        foreach (var c in held) c.Dispose();

        ShouldBeOneLineExit5(result, "did not answer within 2 s");
        // 2 s of timeout plus the tool's own start; never a retry of a silent server, never MailKit's 2-minute default.
        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(12));
        ShouldNotLeak(result);
    }

    [Fact]
    public async Task A_temporary_451_is_retried_and_the_mail_still_arrives_once()
    {
        using var server = SmtpTestServer.Start(scratch, failFirst: 1);

        var result = await Notify(server.Port, null, "--smtp-tls", "none");

        result.ExitCode.ShouldBe(0, result.All);
        server.Messages().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task With_on_failure_a_reached_target_sends_nothing_and_exits_0()
    {
        var closedPort = SmtpTestServer.FreePort();

        var result = await Notify(closedPort, null, "--smtp-tls", "none", "--on", "failure");

        result.ExitCode.ShouldBe(0, result.All);
        result.Output.ShouldContain("not sent: the study reached its target and --on is failure");
    }

    public void Dispose()
    {
        study.Dispose();
        try { Directory.Delete(scratch, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

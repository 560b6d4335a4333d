using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Autotune.Notify;

/// <summary>MailKit over SMTP: connect (none, STARTTLS or TLS), log in when a user is set, send, quit.</summary>
public sealed class SmtpMailTransport : IMailTransport
{
    public async Task SendAsync(SmtpSettings smtp, MimeMessage message, CancellationToken cancel)
    {
        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        SslPolicyErrors certificateErrors = SslPolicyErrors.None;
        client.ServerCertificateValidationCallback = (_, _, _, errors) =>
        {
            certificateErrors = errors;
            return errors == SslPolicyErrors.None || smtp.Insecure;
        };
        // The whole exchange, not just each read, must fit in the timeout: a server that trickles bytes cannot hold us.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(smtp.Timeout);
        var options = smtp.Tls switch
        {
            SmtpTls.None => SecureSocketOptions.None,
            SmtpTls.StartTls => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.SslOnConnect,
        };
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, options, deadline.Token);
            if (smtp.User is not null)
                await client.AuthenticateAsync(smtp.User, smtp.Password?.Reveal() ?? "", deadline.Token);
            await client.SendAsync(message, deadline.Token);
            await client.DisconnectAsync(quit: true, deadline.Token);
        }
        catch (Exception e) when (e is not SmtpFailure && !(e is OperationCanceledException && cancel.IsCancellationRequested))
        {
            throw Describe(e, smtp, certificateErrors);
        }
    }

    /// <summary>Puts a MailKit or socket failure into one line that says what to do; the password is scrubbed last, whatever the text.</summary>
    internal static SmtpFailure Describe(Exception e, SmtpSettings smtp, SslPolicyErrors certificateErrors)
    {
        var at = smtp.Endpoint;
        var seconds = smtp.Timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        var socket = e as SocketException ?? e.InnerException as SocketException;
        (string Message, bool Transient) described = e switch
        {
            OperationCanceledException or TimeoutException or IOException { InnerException: TimeoutException } =>
                ($"SMTP server {at} did not answer within {seconds} s: check the host, the port and --smtp-tls (a TLS port spoken to in plain text stays silent), or raise --smtp-timeout", false),
            _ when socket?.SocketErrorCode == SocketError.TimedOut =>
                ($"SMTP server {at} did not answer within {seconds} s: check the host and port, or raise --smtp-timeout", false),
            _ when socket?.SocketErrorCode == SocketError.ConnectionRefused =>
                ($"SMTP server {at} refused the connection: check --smtp-host and --smtp-port ({SmtpSettings.HostVariable}, {SmtpSettings.PortVariable}) and that the server runs", false),
            _ when socket?.SocketErrorCode is SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData =>
                ($"SMTP host {smtp.Host} was not found: check --smtp-host or {SmtpSettings.HostVariable}", false),
            _ when socket?.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted =>
                ($"SMTP server {at} dropped the connection: {socket.Message}", true),
            SslHandshakeException when certificateErrors != SslPolicyErrors.None =>
                ($"SMTP server {at}: its TLS certificate was rejected ({Certificate(certificateErrors)}): install its CA, or pass --smtp-insecure to accept a self-signed certificate", false),
            SslHandshakeException =>
                ($"SMTP server {at}: the TLS handshake failed: check --smtp-tls (starttls on 587, tls on 465)", false),
            AuthenticationException =>
                ($"SMTP server {at} rejected the login of user '{smtp.User}': check {SmtpSettings.UserVariable} and the password ({SmtpSettings.PasswordVariable} or --smtp-password-file)", false),
            SmtpCommandException c when (int)c.StatusCode is >= 400 and < 500 =>
                ($"SMTP server {at} answered {(int)c.StatusCode} {c.Message.TrimEnd('.')} (temporary)", true),
            SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } c =>
                ($"SMTP server {at} refused recipient {c.Mailbox?.Address}: {(int)c.StatusCode} {c.Message.TrimEnd('.')}: check --to", false),
            SmtpCommandException { ErrorCode: SmtpErrorCode.SenderNotAccepted } c =>
                ($"SMTP server {at} refused sender {c.Mailbox?.Address}: {(int)c.StatusCode} {c.Message.TrimEnd('.')}: check --from or {SmtpSettings.FromVariable}", false),
            SmtpCommandException c =>
                ($"SMTP server {at} refused the message: {(int)c.StatusCode} {c.Message.TrimEnd('.')}", false),
            NotSupportedException when smtp.User is not null =>
                ($"SMTP server {at} offers no login over this connection: use --smtp-tls starttls or tls, or drop --smtp-user", false),
            ServiceNotConnectedException or SmtpProtocolException or IOException =>
                ($"SMTP server {at} dropped the connection: {OneLine(e.Message)}", true),
            _ when socket is not null =>
                ($"SMTP server {at} could not be reached: {socket.Message}", false),
            _ => ($"sending mail through {at} failed: {e.GetType().Name}: {OneLine(e.Message)}", false),
        };
        var text = smtp.Password?.Redact(described.Message) ?? described.Message;
        return new SmtpFailure(text, described.Transient);
    }

    private static string Certificate(SslPolicyErrors errors)
    {
        var reasons = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors)) reasons.Add("not signed by a trusted CA, e.g. self-signed");
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) reasons.Add("issued for another host name");
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) reasons.Add("none was sent");
        return string.Join(", ", reasons);
    }

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

using MimeKit;

namespace Autotune.Notify;

/// <summary>Hands one message to a mail server. Failures are thrown as <see cref="SmtpFailure"/>, already put into words.</summary>
public interface IMailTransport
{
    Task SendAsync(SmtpSettings smtp, MimeMessage message, CancellationToken cancel);
}

using Autotune.Cli;
using MimeKit;

namespace Autotune.Notify;

/// <summary>Who gets the mail, on which outcomes, through which server.</summary>
public sealed record NotifyOptions(IReadOnlyList<MailboxAddress> To, NotifyWhen On, SmtpSettings Smtp)
{
    /// <summary>"a@b,c@d" (commas or semicolons) into mailboxes; a malformed address is invalid input naming it.</summary>
    public static IReadOnlyList<MailboxAddress> ParseRecipients(string text)
    {
        var parts = text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw AutotuneException.Invalid("--to names no recipient: pass --to a@example.com[,b@example.com]");
        return parts.Select(p => MailboxAddress.TryParse(p, out var address) && address.Address.Contains('@')
            ? address
            : throw AutotuneException.Invalid($"--to: '{p}' is not a mail address: write it like dev@example.com")).ToList();
    }
}

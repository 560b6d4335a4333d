using System.Globalization;
using Autotune.Cli;

namespace Autotune.Notify;

/// <summary>Where and how to send mail. The password is a <see cref="SmtpPassword"/>, so printing these settings never shows it.</summary>
public sealed record SmtpSettings(string Host, int Port, SmtpTls Tls, string? User, SmtpPassword? Password, bool Insecure, TimeSpan Timeout, string From)
{
    public const string HostVariable = "AUTOTUNE_SMTP_HOST";
    public const string PortVariable = "AUTOTUNE_SMTP_PORT";
    public const string TlsVariable = "AUTOTUNE_SMTP_TLS";
    public const string UserVariable = "AUTOTUNE_SMTP_USER";
    public const string PasswordVariable = "AUTOTUNE_SMTP_PASSWORD";
    public const string FromVariable = "AUTOTUNE_SMTP_FROM";
    public const string DefaultFrom = "autotune@localhost";

    public string Endpoint => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>What the command line says, before the environment fills the gaps.</summary>
    public sealed record Given(string? Host, int? Port, string? Tls, string? User, string? PasswordFile, bool Insecure, int TimeoutSeconds, string? From);

    /// <summary>
    /// Options first, then AUTOTUNE_SMTP_* variables. The password comes only from --smtp-password-file
    /// or AUTOTUNE_SMTP_PASSWORD: never from an option, which would show in process lists and build logs.
    /// </summary>
    public static SmtpSettings Resolve(Given given, Func<string, string?> environment)
    {
        string? Env(string name) => environment(name) is { Length: > 0 } v ? v : null;

        var host = given.Host ?? Env(HostVariable)
            ?? throw AutotuneException.Invalid($"no SMTP server: pass --smtp-host or set {HostVariable}");
        var tlsText = given.Tls ?? Env(TlsVariable) ?? "starttls";
        var tls = SmtpTlsNames.Parse(tlsText)
            ?? throw AutotuneException.Invalid($"SMTP TLS mode '{tlsText}' is not one of none, starttls, tls: fix --smtp-tls or {TlsVariable}");
        int port;
        if (given.Port is { } p) port = p;
        else if (Env(PortVariable) is { } portText)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port))
                throw AutotuneException.Invalid($"{PortVariable}='{portText}' is not a port number: set it to a number from 1 to 65535");
        }
        else port = tls.DefaultPort();
        if (port is < 1 or > 65535) throw AutotuneException.Invalid($"SMTP port {port} is out of range: use 1 to 65535");
        if (given.TimeoutSeconds < 1) throw AutotuneException.Invalid("--smtp-timeout must be at least 1 second");

        var user = given.User ?? Env(UserVariable);
        SmtpPassword? password = null;
        if (given.PasswordFile is { } file)
        {
            if (!File.Exists(file)) throw AutotuneException.Invalid($"--smtp-password-file {file} does not exist");
            // A trailing newline is how editors and `echo` end files, never part of the password.
            password = new SmtpPassword(File.ReadAllText(file).TrimEnd('\r', '\n'));
        }
        else if (environment(PasswordVariable) is { Length: > 0 } fromEnvironment) password = new SmtpPassword(fromEnvironment);
        if (user is not null && password is null)
            throw AutotuneException.Invalid($"SMTP user '{user}' has no password: set {PasswordVariable} or pass --smtp-password-file");

        var from = given.From ?? Env(FromVariable) ?? DefaultFrom;
        if (!MimeKit.MailboxAddress.TryParse(from, out _))
            throw AutotuneException.Invalid($"sender '{from}' is not a mail address: fix --from or {FromVariable}");
        return new SmtpSettings(host, port, tls, user, user is null ? null : password, given.Insecure,
            TimeSpan.FromSeconds(given.TimeoutSeconds), from);
    }
}

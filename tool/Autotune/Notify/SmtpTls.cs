namespace Autotune.Notify;

/// <summary>How the connection to the SMTP server is protected: none, STARTTLS after connecting, or TLS from the first byte.</summary>
public enum SmtpTls { None, StartTls, Tls }

public static class SmtpTlsNames
{
    public static string Name(this SmtpTls tls) => tls switch { SmtpTls.None => "none", SmtpTls.StartTls => "starttls", _ => "tls" };

    public static SmtpTls? Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "none" or "plain" => SmtpTls.None,
        "starttls" => SmtpTls.StartTls,
        "tls" or "ssl" => SmtpTls.Tls,
        _ => null,
    };

    /// <summary>The port each mode is usually served on (RFC 8314: 465 implicit TLS, 587 submission).</summary>
    public static int DefaultPort(this SmtpTls tls) => tls switch { SmtpTls.None => 25, SmtpTls.StartTls => 587, _ => 465 };
}

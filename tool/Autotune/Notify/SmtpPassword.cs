namespace Autotune.Notify;

/// <summary>
/// The SMTP password, wrapped so that it cannot be printed by accident: records, string
/// interpolation and loggers see "***". Only the transport reads <see cref="Reveal"/>.
/// </summary>
public sealed class SmtpPassword(string value)
{
    private readonly string value = value;

    internal string Reveal() => value;

    /// <summary>Removes the password (plain and as the base64 of AUTH exchanges) from text about to be shown.</summary>
    public string Redact(string text)
    {
        if (value.Length == 0) return text;
        text = text.Replace(value, "***", StringComparison.Ordinal);
        var base64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value));
        return text.Replace(base64, "***", StringComparison.Ordinal);
    }

    public override string ToString() => "***";
}

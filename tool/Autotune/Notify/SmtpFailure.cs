namespace Autotune.Notify;

/// <summary>
/// One failed attempt to send: a message for the user (never holding the password) and whether
/// trying again soon may help (4xx replies, a dropped connection) or cannot (a refused login,
/// a rejected certificate, a port nobody listens on, a server that never answers).
/// </summary>
public sealed class SmtpFailure(string message, bool transient) : Exception(message)
{
    public bool Transient { get; } = transient;
}

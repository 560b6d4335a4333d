using System.Text;

namespace Autotune.Train;

/// <summary>
/// Cuts a program's output into lines with bounded memory: a line longer than <see cref="MaxLine"/>
/// characters is passed on cut at that length (what follows up to its end is dropped), and a line
/// rewritten with carriage returns (a progress bar) keeps only its last non-blank state, as a terminal
/// shows it. "\r\n" ends a line like "\n".
/// </summary>
public sealed class LineSplitter(Action<string> onLine, Action? onActivity = null, int maxLine = LineSplitter.MaxLine)
{
    public const int MaxLine = 64 * 1024;
    public const string CutMarker = " [autotune: line cut at 65536 characters]";

    private readonly StringBuilder current = new();
    private string? lastSegment; // the previous state of a line rewritten with '\r'
    private bool pendingReturn, cut;

    /// <summary>The most characters held at any time, for the test that memory stays bounded.</summary>
    public int MostHeld { get; private set; }

    public void Push(ReadOnlySpan<char> chunk)
    {
        foreach (var c in chunk)
        {
            if (pendingReturn)
            {
                pendingReturn = false;
                if (c == '\n') { EndLine(); continue; }
                NewSegment();
            }
            if (c == '\n') EndLine();
            else if (c == '\r') pendingReturn = true;
            else if (cut) { } // the rest of a cut line is dropped
            else if (current.Length >= maxLine)
            {
                cut = true;
                onLine(current + CutMarker);
                current.Clear();
                lastSegment = null;
                onActivity?.Invoke();
            }
            else
            {
                current.Append(c);
                MostHeld = Math.Max(MostHeld, current.Length + (lastSegment?.Length ?? 0));
            }
        }
    }

    /// <summary>The output ended: a last line without a newline still counts.</summary>
    public void End()
    {
        if (current.Length > 0 || lastSegment is not null) EndLine();
    }

    private void NewSegment()
    {
        if (!cut && !IsBlank(current)) lastSegment = current.ToString();
        current.Clear();
        onActivity?.Invoke();
    }

    private void EndLine()
    {
        if (!cut) onLine(IsBlank(current) && lastSegment is not null ? lastSegment : current.ToString());
        current.Clear();
        lastSegment = null;
        cut = false;
    }

    private static bool IsBlank(StringBuilder b)
    {
        for (var i = 0; i < b.Length; i++) if (!char.IsWhiteSpace(b[i])) return false;
        return true;
    }
}

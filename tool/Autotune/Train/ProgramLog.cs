namespace Autotune.Train;

/// <summary>
/// The program's lines in trial.log, up to <see cref="Limit"/> characters per trial: a program that
/// prints without end fills neither memory nor the disk. The tool's own notes are always written.
/// </summary>
public sealed class ProgramLog(TextWriter log)
{
    public const long Limit = 16L << 20;
    private long written;
    private bool full;

    public void Write(string line)
    {
        if (full) return;
        written += line.Length + 1;
        if (written <= Limit) { log.WriteLine(line); return; }
        full = true;
        log.WriteLine($"autotune: {DateTime.UtcNow:O} the program printed more than {Limit >> 20} MiB; its further output is read but not logged");
    }
}

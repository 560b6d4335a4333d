using Autotune.Cli;

namespace Autotune.Study;

/// <summary>
/// The study locks one command takes in turn for trials of several stores (monitor): a store found in use is
/// refused again at once, not waited for once per trial.
/// </summary>
public sealed class StudyLocks(string command, TimeSpan wait, Action<string>? waiting = null)
{
    private readonly Dictionary<string, AutotuneException> busy = new(StringComparer.Ordinal);

    public StudyLocks(string command, Action<string>? waiting = null) : this(command, StudyLock.Wait(), waiting) { }

    /// <summary>The lock of <paramref name="storePath"/>; exit 5 naming the holder when another command kept it for the whole wait, now or before.</summary>
    public StudyLock Take(string storePath)
    {
        if (busy.TryGetValue(storePath, out var refused)) throw refused;
        try { return StudyLock.Acquire(storePath, command, wait, waiting); }
        catch (AutotuneException e) when (e.ExitCode == ExitCodes.Infrastructure)
        {
            busy[storePath] = e;
            throw;
        }
    }
}

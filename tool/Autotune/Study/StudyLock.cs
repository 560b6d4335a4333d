using System.Globalization;
using System.Text.Json;
using Autotune.Cli;

namespace Autotune.Study;

/// <summary>Who holds a study lock: the command, its process and host, and since when.</summary>
public sealed record LockHolder(string Command, int Pid, string Host, DateTime Since)
{
    public override string ToString() =>
        $"`autotune {Command}` (pid {Pid} on {Host}, since {Since.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z)";

    /// <summary>The holder a lock's holder file names, or null when there is none or it cannot be read.</summary>
    public static LockHolder? Read(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var r = doc.RootElement;
            return new LockHolder(r.GetProperty("command").GetString()!, r.GetProperty("pid").GetInt32(), r.GetProperty("host").GetString()!,
                r.GetProperty("since").GetDateTime().ToUniversalTime());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException
                                      or InvalidOperationException or FormatException or NullReferenceException)
        {
            return null;
        }
    }
}

/// <summary>What <see cref="StudyLock.Probe"/> saw: a live holder (null when it has not said who yet), or the one that ended without releasing.</summary>
public sealed record LockState(bool Held, LockHolder? Holder, LockHolder? LeftBy);

/// <summary>
/// One writer per study store: the command that writes a model's study (run for its whole life; ask, tell
/// and apply for theirs) holds study.db.lock, opened with FileShare.None, which is an OS lock (flock on
/// Unix) that the kernel drops when its process dies, however it dies. So a controller killed with SIGKILL
/// leaves no lock behind, and the next run takes over; two live controllers never both write. The lock
/// also covers the model's .autotune folder (workspaces, builds, trial folders), which every study of the
/// model shares. Who holds it is in study.db.holder (the locked file cannot be read by others on every OS).
/// </summary>
public sealed class StudyLock : IDisposable
{
    /// <summary>Seconds a command waits for the lock before it gives up (AUTOTUNE_LOCK_WAIT, default 10).</summary>
    public const string WaitVariable = "AUTOTUNE_LOCK_WAIT";

    private readonly FileStream held;
    private readonly string holderFile;

    /// <summary>The holder that ended without releasing the lock (killed, crashed) and whose lock this one took over; null when none.</summary>
    public LockHolder? TookOverFrom { get; }

    private StudyLock(FileStream held, string holderFile, LockHolder? tookOverFrom)
    {
        this.held = held;
        this.holderFile = holderFile;
        TookOverFrom = tookOverFrom;
    }

    public static string LockFile(string storePath) => storePath + ".lock";
    public static string HolderFile(string storePath) => storePath + ".holder";

    /// <summary>How long a command waits for the lock (or for SQLite's own lock on the store): AUTOTUNE_LOCK_WAIT seconds, else 10.</summary>
    public static TimeSpan Wait()
    {
        var text = Environment.GetEnvironmentVariable(WaitVariable);
        if (string.IsNullOrEmpty(text)) return TimeSpan.FromSeconds(10);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds >= 0 && seconds <= 86_400))
            throw AutotuneException.Invalid($"{WaitVariable}='{text}' is not a number of seconds from 0 to 86400: unset it (10 s) or fix it");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// Takes the lock of the store at <paramref name="storePath"/> for <paramref name="command"/>, waiting up to
    /// <see cref="Wait"/> while another process holds it (<paramref name="waiting"/> hears once that it waits, and for whom).
    /// Still held after that: exit 5, naming the holder and what to do.
    /// </summary>
    public static StudyLock Acquire(string storePath, string command, Action<string>? waiting = null) =>
        Acquire(storePath, command, Wait(), waiting);

    public static StudyLock Acquire(string storePath, string command, TimeSpan wait, Action<string>? waiting = null)
    {
        var lockFile = LockFile(storePath);
        var holderFile = HolderFile(storePath);
        if (Directory.Exists(lockFile))
            throw AutotuneException.Invalid($"{lockFile} is a folder, where autotune keeps the study's lock file: move it away");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(lockFile))!);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var announced = false;
        while (true)
        {
            try
            {
                // Never deleted: a waiter holding the old file open would otherwise lock a file nobody else sees.
                var stream = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                try
                {
                    // A holder file left behind means its writer ended without releasing (a clean end removes it first).
                    var previous = LockHolder.Read(holderFile);
                    if (previous is not null && previous.Pid == Environment.ProcessId && previous.Host == Environment.MachineName) previous = null;
                    WriteHolder(holderFile, new LockHolder(command, Environment.ProcessId, Environment.MachineName, DateTime.UtcNow));
                    return new StudyLock(stream, holderFile, previous);
                }
                catch
                {
                    stream.Dispose();
                    throw;
                }
            }
            catch (IOException e) when (InUse(e))
            {
                var holder = LockHolder.Read(holderFile);
                var who = holder?.ToString() ?? "another autotune process (it has not said which yet)";
                if (clock.Elapsed >= wait)
                    throw new AutotuneException(ExitCodes.Infrastructure,
                        $"{storePath} is in use by {who}, still after {wait.TotalSeconds:0.#} s: one command writes a study at a time; " +
                        $"wait for it to end, or stop it (a controller that was killed leaves no lock, and the next run takes over){OtherHost(holder)}");
                if (!announced)
                {
                    waiting?.Invoke($"{storePath} is in use by {who}; waiting up to {wait.TotalSeconds:0.#} s for it");
                    announced = true;
                }
                Thread.Sleep(TimeSpan.FromMilliseconds(Math.Clamp((wait - clock.Elapsed).TotalMilliseconds, 1, 200)));
            }
            catch (Exception e) when (e is UnauthorizedAccessException || e is IOException io && !IsDiskFull(io))
            {
                throw new AutotuneException(ExitCodes.Infrastructure, $"cannot take the study's lock {lockFile} ({e.Message.TrimEnd('.')}): check that the folder is writable");
            }
        }
    }

    /// <summary>
    /// What the lock says now, without taking it for longer than the look and without touching the holder file: whether
    /// a live command holds it (and who, when it has said so), and which command ended without releasing it (killed,
    /// crashed, its machine gone). `trials --json` shows both, so a scheduled job knows whether a study's controller is gone.
    /// </summary>
    public static LockState Probe(string storePath)
    {
        var holderFile = HolderFile(storePath);
        try
        {
            // LOCK_EX for an instant: a command acquiring meanwhile sees it in use and retries within its wait.
            using (new FileStream(LockFile(storePath), FileMode.Open, FileAccess.Read, FileShare.None)) { }
            return new LockState(false, null, LockHolder.Read(holderFile));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new LockState(false, null, null); // never locked: no command has written this study yet
        }
        catch (IOException e) when (InUse(e))
        {
            return new LockState(true, LockHolder.Read(holderFile), null);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new AutotuneException(ExitCodes.Infrastructure, $"cannot look at the study's lock {LockFile(storePath)} ({e.Message.TrimEnd('.')}): check that the folder is readable");
        }
    }

    private static string OtherHost(LockHolder? holder) =>
        holder is not null && holder.Host != Environment.MachineName ? $"; it runs on {holder.Host}, sharing this folder" : "";

    /// <summary>The OS said another open of the file holds it (EWOULDBLOCK on Linux and macOS, a sharing violation on Windows).</summary>
    private static bool InUse(IOException e) => e.HResult is 11 or 35 || e.HResult == unchecked((int)0x80070020) || e.HResult == unchecked((int)0x80070021);

    private static bool IsDiskFull(IOException e) => e.HResult is 28 || e.HResult == unchecked((int)0x80070070);

    private static void WriteHolder(string path, LockHolder holder)
    {
        var temp = $"{path}.{holder.Pid}.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(new
        {
            command = holder.Command,
            pid = holder.Pid,
            host = holder.Host,
            since = holder.Since.ToString("O", CultureInfo.InvariantCulture),
        }));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Releases the lock: the holder file goes first, so a holder file found later always means an unclean end.</summary>
    public void Dispose()
    {
        try { File.Delete(holderFile); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        held.Dispose();
    }
}

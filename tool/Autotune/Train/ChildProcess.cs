using System.Diagnostics;

namespace Autotune.Train;

/// <summary>
/// A child process whose output arrives line by line (stdout and stderr merged, in order of arrival),
/// killed with its whole tree when cancelled or when it stays silent longer than allowed. Lines are
/// cut by <see cref="LineSplitter"/>, so a multi-megabyte line or endless output never fills memory.
/// </summary>
public static class ChildProcess
{
    public sealed record Outcome(int ExitCode, bool Silent, TimeSpan Elapsed);

    public static async Task<Outcome> RunAsync(ProcessStartInfo start, Action<string> onLine, TimeSpan silenceLimit,
        Action<int>? onStarted, CancellationToken cancel)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        var gate = new object();
        var lastOutput = Stopwatch.StartNew();
        Exception? failure = null; // a callback that threw: the process is stopped and the exception rethrown here
        void Line(string text)
        {
            lock (gate)
            {
                lastOutput.Restart();
                if (failure is not null) return;
                try { onLine(text); }
                catch (Exception e) { failure = e; Kill(process); }
            }
        }
        // A progress bar rewritten with '\r' is output too, though it completes no line for a while.
        void Activity() { lock (gate) lastOutput.Restart(); }
        try { process.Start(); }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new Cli.AutotuneException(Cli.ExitCodes.Infrastructure, $"cannot start {start.FileName}: {e.Message}");
        }
        process.StandardInput.Close();
        onStarted?.Invoke(process.Id);
        var readers = new[]
        {
            ReadAsync(process.StandardOutput, new LineSplitter(Line, Activity)),
            ReadAsync(process.StandardError, new LineSplitter(Line, Activity)),
        };
        var silent = false;
        using (cancel.Register(() => Kill(process)))
        {
            var exited = process.WaitForExitAsync(CancellationToken.None);
            while (!exited.IsCompleted)
            {
                await Task.WhenAny(exited, Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None));
                if (!exited.IsCompleted && lastOutput.Elapsed > silenceLimit)
                {
                    silent = true;
                    Kill(process);
                }
            }
            await exited;
            // Drain what is left in the pipes; a grandchild that keeps them open is not waited for long.
            await Task.WhenAny(Task.WhenAll(readers), Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        }
        cancel.ThrowIfCancellationRequested();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return new Outcome(process.ExitCode, silent, clock.Elapsed);
    }

    /// <summary>Feeds a child's pipe to a line splitter until the pipe closes (the trial worker reads its pipes this way too).</summary>
    internal static async Task ReadAsync(StreamReader stream, LineSplitter lines)
    {
        var buffer = new char[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(), CancellationToken.None)) > 0) lines.Push(buffer.AsSpan(0, read));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { } // the pipe went away with the process
        lines.End();
    }

    /// <summary>Kills a child and everything it started; one already gone is no error.</summary>
    internal static void Kill(Process process)
    {
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } // already gone
    }
}

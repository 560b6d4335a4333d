using System.Diagnostics;
using System.Text;

namespace Autotune.Tests.Support;

/// <summary>The real autotune tool (the build beside the tests), run as a separate process.</summary>
public static class Tool
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Assembly => Path.Combine(AppContext.BaseDirectory, "autotune.dll");

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    /// <summary>Runs autotune to its end; <paramref name="onLine"/> sees each line of stdout as it comes.</summary>
    public static async Task<Result> RunAsync(IEnumerable<string> args, IDictionary<string, string>? env = null,
        Action<string>? onLine = null, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryRoot,
        };
        start.ArgumentList.Add(Assembly);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["CI"] = "true"; // plain lines, no live status line
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is null) return; lock (output) output.AppendLine(e.Data); onLine?.Invoke(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is null) return; lock (error) error.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"autotune {string.Join(' ', args)} did not finish in time; output so far:\n{output}\n{error}");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Starts autotune and returns at once, its output drained (to <paramref name="onLine"/> when given), for
    /// tests that kill it or its program while it runs. The caller owns the process.
    /// </summary>
    public static Process Start(IEnumerable<string> args, IDictionary<string, string>? env = null, Action<string>? onLine = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot };
        start.ArgumentList.Add(Assembly);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) start.Environment[k] = v;
        start.Environment["CI"] = "true";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine?.Invoke(e.Data); };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Starts a run and SIGKILLs the controller alone <paramref name="after"/> once it prints a line starting with
    /// <paramref name="marker"/>, as a crash would: its training program is left behind. False when the marker never came.
    /// </summary>
    public static async Task<bool> KillControllerAfter(IEnumerable<string> args, IDictionary<string, string> env, string marker, TimeSpan after)
    {
        var seen = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = Start(args, env, line => { if (line.StartsWith(marker, StringComparison.Ordinal)) seen.TrySetResult(true); });
        if (await Task.WhenAny(seen.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(8))) != seen.Task)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            return false;
        }
        await Task.Delay(after);
        process.Kill();
        await process.WaitForExitAsync();
        return true;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Autotune.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Autotune.slnx) above " + AppContext.BaseDirectory);
    }
}

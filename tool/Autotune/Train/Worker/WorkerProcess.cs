using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Autotune.Cli;

namespace Autotune.Train.Worker;

/// <summary>
/// One live trial worker (tool/Autotune.Worker): `dotnet exec` of the worker host with the model
/// program's own deps.json and runtimeconfig.json, so it resolves exactly what the program would.
/// It runs one trial at a time; a run ends when its marker line has arrived on both output streams,
/// so every line the program printed has been passed on before the next trial begins. A run that
/// fails, is cancelled or goes silent ends the worker (killed with its tree, like a program).
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process process;
    private readonly string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private readonly object gate = new();
    private readonly Stopwatch lastOutput = Stopwatch.StartNew();
    private Task[] readers = [];
    private Action<string>? sink;
    private TaskCompletionSource<int> outMarker = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<int> errMarker = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? failure;

    public string Fingerprint { get; }
    public int Pid => process.Id;
    public bool HasExited => process.HasExited;
    /// <summary>Set when the worker said it cannot run this program (its SDK is too old); the worker has ended.</summary>
    public string? Unsupported { get; private set; }

    private WorkerProcess(Process process, string fingerprint)
    {
        this.process = process;
        Fingerprint = fingerprint;
    }

    /// <summary>Starts a worker for <paramref name="program"/>, with the environment a program would get, less secrets.</summary>
    public static WorkerProcess Start(BuiltProgram program, string fingerprint)
    {
        var host = WorkerProgram.PlaceHost(program);
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "exec", "--runtimeconfig", WorkerProgram.RuntimeConfig(program), "--depsfile", WorkerProgram.DepsFile(program), host },
            WorkingDirectory = program.Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        ProcessRunner.RemoveSecrets(start);
        var process = new Process { StartInfo = start };
        var worker = new WorkerProcess(process, fingerprint);
        start.Environment["AUTOTUNE_WORKER_TOKEN"] = worker.token;
        try { process.Start(); }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new AutotuneException(ExitCodes.Infrastructure, $"cannot start dotnet for the trial worker: {e.Message}");
        }
        worker.StartReading();
        return worker;
    }

    private void StartReading() => readers =
    [
        ChildProcess.ReadAsync(process.StandardOutput, new LineSplitter(l => OnLine(l, stdout: true), Activity)),
        ChildProcess.ReadAsync(process.StandardError, new LineSplitter(l => OnLine(l, stdout: false), Activity)),
    ];

    /// <summary>
    /// Runs one trial's program in this worker. Null when the worker cannot run it (see <see cref="Unsupported"/>);
    /// the caller runs it as a process instead.
    /// </summary>
    public async Task<RunOutcome?> RunAsync(TrialLaunch launch, Action<string> onLine, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        lock (gate)
        {
            sink = onLine;
            failure = null;
            outMarker = new(TaskCreationOptions.RunContinuationsAsynchronously);
            errMarker = new(TaskCreationOptions.RunContinuationsAsynchronously);
            lastOutput.Restart();
        }
        var request = JsonSerializer.Serialize(new { assembly = launch.Program.Assembly, folder = launch.Program.Folder, env = launch.Environment });
        try
        {
            await process.StandardInput.WriteLineAsync(request.AsMemory(), CancellationToken.None);
            await process.StandardInput.FlushAsync(CancellationToken.None);
        }
        catch (IOException) { } // it died between trials: its exit is the outcome below

        var silent = false;
        var exited = process.WaitForExitAsync(CancellationToken.None);
        using (cancel.Register(Kill))
        {
            var markers = Task.WhenAll(outMarker.Task, errMarker.Task);
            while (!markers.IsCompleted && !exited.IsCompleted)
            {
                await Task.WhenAny(markers, exited, Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None));
                if (!markers.IsCompleted && !exited.IsCompleted && SilentFor() > launch.SilenceLimit)
                {
                    silent = true;
                    Kill();
                }
                // One marker came and the other stream stays quiet: it will not come.
                if ((outMarker.Task.IsCompleted ^ errMarker.Task.IsCompleted) && SilentFor() > TimeSpan.FromSeconds(5)) break;
            }
            if (exited.IsCompleted) await Task.WhenAny(Task.WhenAll(readers), Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        }
        lock (gate) sink = null;
        cancel.ThrowIfCancellationRequested();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        if (Unsupported is not null) return null;
        if (outMarker.Task.IsCompleted || errMarker.Task.IsCompleted)
        {
            var code = outMarker.Task.IsCompleted ? outMarker.Task.Result : errMarker.Task.Result;
            if (code != 0) await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
            return new RunOutcome(code, false, clock.Elapsed);
        }
        await exited;
        return new RunOutcome(process.ExitCode, silent, clock.Elapsed);
    }

    private TimeSpan SilentFor()
    {
        lock (gate) return lastOutput.Elapsed;
    }

    private void OnLine(string line, bool stdout)
    {
        lock (gate)
        {
            lastOutput.Restart();
            if (line.StartsWith(token, StringComparison.Ordinal) && line.Length > token.Length && line[token.Length] == ' ')
            {
                var rest = line[(token.Length + 1)..];
                if (rest.StartsWith("exit ", StringComparison.Ordinal) && int.TryParse(rest[5..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
                    (stdout ? outMarker : errMarker).TrySetResult(code);
                else if (rest.StartsWith("unsupported ", StringComparison.Ordinal))
                {
                    Unsupported = rest["unsupported ".Length..];
                    outMarker.TrySetResult(-1);
                    errMarker.TrySetResult(-1);
                }
                return;
            }
            if (sink is null || failure is not null) return; // between runs nothing is printed but by a thread a program left behind
            try { sink(line); }
            catch (Exception e) { failure = e; Kill(); }
        }
    }

    private void Activity()
    {
        lock (gate) lastOutput.Restart();
    }

    public void Kill() => ChildProcess.Kill(process);

    /// <summary>Ends the worker: standard input closes, and it exits after its run; one that does not is killed.</summary>
    public void Dispose()
    {
        try
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(5_000)) Kill();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException) { Kill(); }
        process.Dispose();
    }
}

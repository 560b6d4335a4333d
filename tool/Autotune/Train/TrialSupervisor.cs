using System.Globalization;
using System.Text.Json;
using Autotune.Cli;
using Autotune.Files;
using Autotune.Train.Metrics;

namespace Autotune.Train;

/// <summary>What a trial is run with; null leaves the value to the model program.</summary>
public sealed record TrialSettings(
    int Number = 0,
    int? Seed = null,
    int? Epochs = null,
    string Device = "auto",
    int Retries = 3,
    TimeSpan? SilenceLimit = null,
    ProgramOutput? Output = null,
    string? KeyMetric = null,
    TimeSpan? TimeLimit = null);
// Output: set for a program without the SDK, whose metrics are read from what it prints.
// KeyMetric: the target's metric; reading it ends an epoch of such a program at once.
// TimeLimit: the longest one start of the program may run (a program printing without end still stops).

/// <summary>How a trial ended: its per-epoch metrics and every start of its program.</summary>
public sealed record TrialResult(string Folder, IReadOnlyList<MetricLine> Epochs, IReadOnlyList<RunOutcome> Attempts, TimeSpan Wall)
{
    public IReadOnlyDictionary<string, double> FinalMetrics => Epochs.Count > 0 ? Epochs[^1].Metrics : new Dictionary<string, double>();
    /// <summary>Seconds the program itself spent in its epochs (as it reported them).</summary>
    public double TrainingSeconds => Epochs.Sum(e => e.Seconds ?? 0);
    public int Restarts => Attempts.Count - 1;
    /// <summary>The program's last lines (without the SDK's), for a message about what it printed.</summary>
    public IReadOnlyList<string> LastLines { get; init; } = [];
    /// <summary>Set when the metrics were read from the program's output: every name read there.</summary>
    public IReadOnlyCollection<string>? NamesRead { get; init; }
}

/// <summary>
/// Runs one trial to its end through a runner, and restarts its program from the last checkpoint
/// when it dies (killed, crashed, silent), up to a retry cap. Every start and restart is logged
/// in the trial folder's trial.log.
/// </summary>
public sealed class TrialSupervisor(IRunner runner, ProgressDisplay display)
{
    public const string LogFile = "trial.log";
    public const string ResultFile = "result.json";

    /// <param name="onEpoch">Sees each epoch as the program reports it; returning false asks the program
    /// to stop after that epoch (pruned, or the target was reached). A program without the SDK cannot
    /// read the stop file, so it is stopped (killed) instead.</param>
    public async Task<TrialResult> RunAsync(BuiltProgram program, string trialFolder, TrialSettings settings, CancellationToken cancel,
        Func<MetricLine, bool>? onEpoch = null)
    {
        Directory.CreateDirectory(trialFolder);
        var silence = settings.SilenceLimit ?? TimeSpan.FromMinutes(5);
        var checkpoints = new CheckpointStore(Path.Combine(trialFolder, TrialEnvironment.CheckpointFolder));
        var metricsPath = Path.Combine(trialFolder, TrialEnvironment.MetricsFile);
        var plain = settings.Output;
        var reader = plain is null ? null : new ProgramMetricReader(plain, settings.KeyMetric);
        var attempts = new List<RunOutcome>();
        var wall = System.Diagnostics.Stopwatch.StartNew();
        await using var log = new StreamWriter(Path.Combine(trialFolder, LogFile), append: true) { AutoFlush = true };
        var logged = new ProgramLog(log);
        var tail = new Queue<string>();
        ProgramFailure? failure = null;
        if (plain is not null)
            log.WriteLine($"autotune: {DateTime.UtcNow:O} the program does not use the Autotune SDK: metrics are read from {plain.Describe()}");
        while (true)
        {
            var attempt = attempts.Count + 1;
            var before = checkpoints.Latest()?.Epoch ?? 0;
            var note = plain is not null && attempt > 1
                ? $"start {attempt}: restarts from the beginning (without the SDK the program saves no checkpoints)"
                : before > 0 ? $"start {attempt}: resumes from the checkpoint of epoch {before}" : $"start {attempt}";
            log.WriteLine($"autotune: {DateTime.UtcNow:O} {note} ({runner.Name} runner)");
            if (attempt > 1) display.Note(note);

            // Decisions made on the output thread; the stop token ends this start of the program.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            if (settings.TimeLimit is { } limit) stop.CancelAfter(limit);
            var gate = new object();
            string? broken = null;   // NaN, inf or a diverging loss: the trial fails with this reason
            var stoppedEarly = false; // pruned or done: a program without the SDK is killed
            var seen = new List<MetricLine>();
            var sinceEpoch = System.Diagnostics.Stopwatch.StartNew();
            if (reader is not null)
            {
                reader.Restart();
                File.Delete(metricsPath); // the epochs of a start that began from the beginning are read anew
            }
            void Epoch(MetricLine epoch)
            {
                // Once stopped, what a dying program still prints is logged but no longer part of the trial.
                if (broken is not null || stoppedEarly) return;
                if (reader is not null)
                {
                    // Seen from outside: the time since the last epoch (the first includes start-up and data loading).
                    // An epoch reported again (completed by a late line, or by the file's row after the output's) keeps its time.
                    if (epoch.Seconds is null && seen.FirstOrDefault(e => e.Epoch == epoch.Epoch) is { } before)
                        epoch = epoch with { Seconds = before.Seconds };
                    else if (epoch.Seconds is null)
                    {
                        epoch = epoch with { Seconds = Math.Round(sinceEpoch.Elapsed.TotalSeconds, 3) };
                        sinceEpoch.Restart();
                    }
                    AppendMetrics(metricsPath, epoch);
                    display.Epoch(epoch);
                }
                var keep = onEpoch?.Invoke(epoch) ?? true;
                seen.RemoveAll(e => e.Epoch == epoch.Epoch);
                broken = Divergence.Check(epoch, seen);
                seen.Add(epoch);
                if (broken is not null) { stop.Cancel(); return; }
                if (keep || stoppedEarly) return;
                if (reader is null) RequestStop(trialFolder);
                else
                {
                    stoppedEarly = true;
                    log.WriteLine($"autotune: {DateTime.UtcNow:O} stopping the program after epoch {epoch.Epoch} (it cannot read the stop file)");
                    stop.Cancel();
                }
            }
            void Line(string line)
            {
                lock (gate)
                {
                    logged.Write(line);
                    if (line.StartsWith(FailPrefix, StringComparison.Ordinal)) failure = ProgramFailure.Parse(line[FailPrefix.Length..]);
                    if (line.StartsWith(EpochPrefix, StringComparison.Ordinal) && MetricsFile.Parse(line[EpochPrefix.Length..]) is { } sdkEpoch)
                        Epoch(sdkEpoch);
                    if (!line.StartsWith(TrialEnvironment.LinePrefix, StringComparison.Ordinal))
                    {
                        tail.Enqueue(line.Length > 500 ? line[..500] + " ..." : line);
                        if (tail.Count > 20) tail.Dequeue();
                    }
                    display.Line(line);
                    if (reader is not null)
                        foreach (var e in reader.FeedOutput(line)) Epoch(e);
                }
            }
            var launch = new TrialLaunch(program, trialFolder, Environment(trialFolder, settings, attempt), silence);
            using var file = plain?.MetricsFile is { } metricsFile
                ? FollowMetricsFile(Path.GetFullPath(metricsFile, program.Folder), program.Folder, attempt, reader!,
                    l => { lock (gate) foreach (var e in reader!.FeedFile(l)) Epoch(e); })
                : null;
            RunOutcome outcome;
            try
            {
                outcome = await runner.RunAsync(launch, Line, stop.Token);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                // Stopped by us: the trial is done (pruned, target reached), broken, or past its time limit.
                outcome = new RunOutcome(137, false, wall.Elapsed);
            }
            catch (AutotuneException failed) when (failed.ExitCode == ExitCodes.ModelFailed)
            {
                // The runner classified the end itself (a container killed for memory) and logged it: the trial failed, and says so.
                WriteResult(new TrialResult(trialFolder, MetricsFile.Read(metricsPath), attempts, wall.Elapsed), "failed");
                throw;
            }
            file?.Dispose(); // reads what the file got last
            lock (gate)
                if (reader is not null)
                    foreach (var e in reader.Finish()) Epoch(e);
            attempts.Add(outcome);
            var epochs = MetricsFile.Read(metricsPath);
            TrialResult Result() => new(trialFolder, epochs, attempts, wall.Elapsed) { LastLines = tail.ToList(), NamesRead = reader?.Names.ToList() };
            if (broken is not null)
            {
                log.WriteLine($"autotune: {DateTime.UtcNow:O} the trial failed: {broken}");
                WriteResult(Result(), "failed");
                throw new AutotuneException(ExitCodes.ModelFailed, $"{program.Assembly}: the trial failed: {broken}; trial log: {Path.Combine(trialFolder, LogFile)}",
                    string.Join('\n', tail));
            }
            if (outcome.Succeeded || stoppedEarly)
            {
                log.WriteLine($"autotune: {DateTime.UtcNow:O} {(stoppedEarly ? "stopped" : "completed")} after {epochs.Count} epoch(s)");
                var result = Result();
                WriteResult(result, "completed");
                return result;
            }
            if (failure is not null)
            {
                log.WriteLine($"autotune: {DateTime.UtcNow:O} the program failed: {failure.Kind}: {failure.Message}");
                WriteResult(Result(), "failed");
                throw new AutotuneException(failure.ExitCode, failure.Message);
            }
            var overTime = stop.IsCancellationRequested && settings.TimeLimit is { } tl;
            var reason = overTime ? $"ran past its time limit of {settings.TimeLimit!.Value.TotalSeconds:F0} s and was stopped" : Describe(outcome, silence);
            var after = checkpoints.Latest()?.Epoch ?? 0;
            log.WriteLine($"autotune: {DateTime.UtcNow:O} the program {reason}");
            // A program that dies the same way before saving anything new (an exception at start-up,
            // a compile-time mistake) would die again: restart only after a kill, a hang, or progress.
            var worthRetrying = !overTime && (outcome.KilledBySignal && outcome.ExitCode != 134 || outcome.Silent || after > before);
            if (attempt > settings.Retries || !worthRetrying)
            {
                WriteResult(Result(), "failed");
                throw new AutotuneException(ExitCodes.ModelFailed,
                    $"{program.Assembly}: the model program {reason} (start {attempt} of at most {settings.Retries + 1}); trial log: {Path.Combine(trialFolder, LogFile)}",
                    string.Join('\n', tail));
            }
            display.Note($"the program {reason}; restarting");
        }
    }

    /// <summary>
    /// Follows the program's metrics file for one start. A file in the program's own folder (autotune's build
    /// folder, which every trial of a slot runs in) is removed first, so no row that another trial or an
    /// earlier start left there is ever read, and no rewrite races the first read. From the second start on,
    /// its CSV header and whether its epochs count from 0 are kept: a program that resumes appends rows
    /// without them. A file elsewhere is the user's: it is kept, and read from its end on.
    /// </summary>
    private static FileTail FollowMetricsFile(string path, string programFolder, int attempt, ProgramMetricReader reader, Action<string> onLine)
    {
        var start = FileTail.FirstLines(path, 2);
        var relative = Path.GetRelativePath(programFolder, path);
        var removed = !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative) && Remove(path);
        // A FIFO would block the first read, and the trial with it, until something writes to it; a folder holds no rows.
        if (PathKinds.Of(path) is var kind and not (PathKind.Missing or PathKind.File))
            throw AutotuneException.Invalid($"the metrics file {path} is {kind.Words()}, not a regular file: autotune reads metrics only from a regular file; "
                + "let the program write one there, or set \"metricsFile\" in autotune.json to another path");
        if (attempt > 1 || !removed) reader.KnowFileStart(start);
        return new FileTail(path, onLine); // a file still there is read from its end on

        static bool Remove(string file)
        {
            try { File.Delete(file); return true; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        }
    }

    private static void AppendMetrics(string path, MetricLine epoch) =>
        File.AppendAllText(path, JsonSerializer.Serialize(epoch, MetricJson) + "\n");

    private static readonly JsonSerializerOptions MetricJson = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly string EpochPrefix = TrialEnvironment.LinePrefix + "epoch ";
    private static readonly string FailPrefix = TrialEnvironment.LinePrefix + "fail ";

    /// <summary>A failure the program classified itself through Trial.Fail: never retried.</summary>
    private sealed record ProgramFailure(string Kind, string Message)
    {
        public int ExitCode => Kind switch
        {
            "infrastructure" => ExitCodes.Infrastructure,
            "invalidinput" => ExitCodes.InvalidInput,
            _ => ExitCodes.ModelFailed,
        };

        public static ProgramFailure Parse(string json)
        {
            try
            {
                using var doc = JsonDocument.Parse(json);
                return new ProgramFailure(doc.RootElement.GetProperty("kind").GetString() ?? "model", doc.RootElement.GetProperty("message").GetString() ?? "");
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return new ProgramFailure("model", json);
            }
        }
    }

    /// <summary>Asks the program to stop after its current epoch (the SDK checks for this file).</summary>
    public static void RequestStop(string trialFolder) =>
        File.WriteAllText(Path.Combine(trialFolder, TrialEnvironment.StopFile), DateTime.UtcNow.ToString("O"));

    private static Dictionary<string, string> Environment(string folder, TrialSettings s, int attempt)
    {
        var env = new Dictionary<string, string>
        {
            [TrialEnvironment.Folder] = folder,
            [TrialEnvironment.Number] = s.Number.ToString(CultureInfo.InvariantCulture),
            [TrialEnvironment.Device] = s.Device,
            [TrialEnvironment.Attempt] = attempt.ToString(CultureInfo.InvariantCulture),
        };
        if (s.Seed is { } seed) env[TrialEnvironment.Seed] = seed.ToString(CultureInfo.InvariantCulture);
        if (s.Epochs is { } epochs) env[TrialEnvironment.MaxEpochs] = epochs.ToString(CultureInfo.InvariantCulture);
        return env;
    }

    private static string Describe(RunOutcome o, TimeSpan silence) =>
        o.Silent ? $"printed no line for {silence.TotalSeconds:F0} s and was stopped"
        : o.ExitCode == 137 ? "was killed (SIGKILL, exit 137)"
        : o.ExitCode == 143 ? "was terminated (SIGTERM, exit 143)"
        : o.ExitCode == 134 ? "crashed (unhandled exception or abort, exit 134)"
        : o.KilledBySignal ? $"died of signal {o.ExitCode - 128} (exit {o.ExitCode})"
        : $"exited with code {o.ExitCode}";

    private static void WriteResult(TrialResult r, string state)
    {
        var json = JsonSerializer.Serialize(new
        {
            state,
            epochs = r.Epochs.Count,
            metrics = r.FinalMetrics,
            restarts = r.Restarts,
            exitCodes = r.Attempts.Select(a => a.ExitCode),
            wallSeconds = r.Wall.TotalSeconds,
            trainingSeconds = r.TrainingSeconds,
        }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
        var path = Path.Combine(r.Folder, ResultFile);
        File.WriteAllText(path + ".tmp", json);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}

using System.Globalization;
using System.Text.Json;
using Autotune.Cli;

namespace Autotune.Train;

/// <summary>What a trial is run with; null leaves the value to the model program.</summary>
public sealed record TrialSettings(
    int Number = 0,
    int? Seed = null,
    int? Epochs = null,
    string Device = "auto",
    int Retries = 3,
    TimeSpan? SilenceLimit = null);

/// <summary>How a trial ended: its per-epoch metrics and every start of its program.</summary>
public sealed record TrialResult(string Folder, IReadOnlyList<MetricLine> Epochs, IReadOnlyList<RunOutcome> Attempts, TimeSpan Wall)
{
    public IReadOnlyDictionary<string, double> FinalMetrics => Epochs.Count > 0 ? Epochs[^1].Metrics : new Dictionary<string, double>();
    /// <summary>Seconds the program itself spent in its epochs (as it reported them).</summary>
    public double TrainingSeconds => Epochs.Sum(e => e.Seconds ?? 0);
    public int Restarts => Attempts.Count - 1;
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
    /// to stop after that epoch (pruned, or the target was reached).</param>
    public async Task<TrialResult> RunAsync(BuiltProgram program, string trialFolder, TrialSettings settings, CancellationToken cancel,
        Func<MetricLine, bool>? onEpoch = null)
    {
        Directory.CreateDirectory(trialFolder);
        var silence = settings.SilenceLimit ?? TimeSpan.FromMinutes(5);
        var checkpoints = new CheckpointStore(Path.Combine(trialFolder, TrialEnvironment.CheckpointFolder));
        var attempts = new List<RunOutcome>();
        var wall = System.Diagnostics.Stopwatch.StartNew();
        await using var log = new StreamWriter(Path.Combine(trialFolder, LogFile), append: true) { AutoFlush = true };
        var tail = new Queue<string>();
        ProgramFailure? failure = null;
        while (true)
        {
            var attempt = attempts.Count + 1;
            var before = checkpoints.Latest()?.Epoch ?? 0;
            var note = before > 0 ? $"start {attempt}: resumes from the checkpoint of epoch {before}" : $"start {attempt}";
            log.WriteLine($"autotune: {DateTime.UtcNow:O} {note} ({runner.Name} runner)");
            if (attempt > 1) display.Note(note);
            RunOutcome outcome;
            try
            {
                outcome = await runner.RunAsync(
                    new TrialLaunch(program, trialFolder, Environment(trialFolder, settings, attempt), silence),
                    line =>
                    {
                        log.WriteLine(line);
                        if (line.StartsWith(FailPrefix, StringComparison.Ordinal)) failure = ProgramFailure.Parse(line[FailPrefix.Length..]);
                        if (onEpoch is not null && line.StartsWith(EpochPrefix, StringComparison.Ordinal)
                            && MetricsFile.Parse(line[EpochPrefix.Length..]) is { } epoch && !onEpoch(epoch))
                            RequestStop(trialFolder);
                        if (!line.StartsWith(TrialEnvironment.LinePrefix, StringComparison.Ordinal))
                        {
                            tail.Enqueue(line);
                            if (tail.Count > 20) tail.Dequeue();
                        }
                        display.Line(line);
                    }, cancel);
            }
            catch (AutotuneException failed) when (failed.ExitCode == ExitCodes.ModelFailed)
            {
                // The runner classified the end itself (a container killed for memory) and logged it: the trial failed, and says so.
                WriteResult(new TrialResult(trialFolder, MetricsFile.Read(Path.Combine(trialFolder, TrialEnvironment.MetricsFile)), attempts, wall.Elapsed), "failed");
                throw;
            }
            attempts.Add(outcome);
            var epochs = MetricsFile.Read(Path.Combine(trialFolder, TrialEnvironment.MetricsFile));
            if (outcome.Succeeded)
            {
                log.WriteLine($"autotune: {DateTime.UtcNow:O} completed after {epochs.Count} epoch(s)");
                var result = new TrialResult(trialFolder, epochs, attempts, wall.Elapsed);
                WriteResult(result, "completed");
                return result;
            }
            if (failure is not null)
            {
                log.WriteLine($"autotune: {DateTime.UtcNow:O} the program failed: {failure.Kind}: {failure.Message}");
                WriteResult(new TrialResult(trialFolder, epochs, attempts, wall.Elapsed), "failed");
                throw new AutotuneException(failure.ExitCode, failure.Message);
            }
            var reason = Describe(outcome, silence);
            var after = checkpoints.Latest()?.Epoch ?? 0;
            log.WriteLine($"autotune: {DateTime.UtcNow:O} the program {reason}");
            // A program that dies the same way before saving anything new (an exception at start-up,
            // a compile-time mistake) would die again: restart only after a kill, a hang, or progress.
            var worthRetrying = outcome.KilledBySignal && outcome.ExitCode != 134 || outcome.Silent || after > before;
            if (attempt > settings.Retries || !worthRetrying)
            {
                WriteResult(new TrialResult(trialFolder, epochs, attempts, wall.Elapsed), "failed");
                throw new AutotuneException(ExitCodes.ModelFailed,
                    $"{program.Assembly}: the model program {reason} (start {attempt} of at most {settings.Retries + 1}); trial log: {Path.Combine(trialFolder, LogFile)}",
                    string.Join('\n', tail));
            }
            display.Note($"the program {reason}; restarting");
        }
    }

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
        o.Silent ? $"printed nothing for {silence.TotalSeconds:F0} s and was stopped"
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

using System.Globalization;
using System.Text.Json;

namespace Autotune;

/// <summary>
/// What a model program knows of the trial it runs in: where its metrics and checkpoints go,
/// its seed, device and epoch budget, and whether the tool asked it to stop.
/// Outside the tool (plain <c>dotnet run</c>) it is a standalone trial in <c>./.autotune/standalone</c>.
/// </summary>
public sealed class Trial
{
    private static Lazy<Trial> current = NewCurrent();
    private readonly TextWriter output;
    private DateTime lastProgress = DateTime.MinValue;

    public static Trial Current => current.Value;

    /// <summary>
    /// Forgets <see cref="Current"/>, so the next use reads the environment again. For the autotune
    /// trial worker, which runs one trial's program after another in one process while this SDK
    /// stays loaded; a model program has no reason to call it.
    /// </summary>
    public static void ReloadFromEnvironment() => current = NewCurrent();

    private static Lazy<Trial> NewCurrent() => new(() => FromEnvironment(Environment.GetEnvironmentVariable));

    public Trial(string folder, int number = 0, int? seed = null, int? maxEpochs = null, string device = "auto",
        bool underTool = false, int attempt = 1, TextWriter? output = null)
    {
        Folder = Path.GetFullPath(folder);
        Number = number;
        SeedOverride = seed;
        MaxEpochsOverride = maxEpochs;
        Device = device;
        UnderTool = underTool;
        Attempt = attempt;
        this.output = output ?? Console.Out;
        Directory.CreateDirectory(Folder);
        Checkpoints = new CheckpointStore(Path.Combine(Folder, TrialEnvironment.CheckpointFolder));
        if (underTool) Checkpoints.DiskFull = message => Fail(TrialFailure.Infrastructure, message);
    }

    public static Trial FromEnvironment(Func<string, string?> env)
    {
        var folder = env(TrialEnvironment.Folder);
        return new Trial(
            folder ?? Path.Combine(Environment.CurrentDirectory, ".autotune", "standalone"),
            number: ParseInt(env(TrialEnvironment.Number)) ?? 0,
            seed: ParseInt(env(TrialEnvironment.Seed)),
            maxEpochs: ParseInt(env(TrialEnvironment.MaxEpochs)),
            device: env(TrialEnvironment.Device) is { Length: > 0 } d ? d : "auto",
            underTool: folder is not null,
            attempt: ParseInt(env(TrialEnvironment.Attempt)) ?? 1);
    }

    public string Folder { get; }
    public int Number { get; }
    /// <summary>True when the autotune tool started this program.</summary>
    public bool UnderTool { get; }
    /// <summary>1 for the first start, 2 and up when the tool restarted the program after it died.</summary>
    public int Attempt { get; }
    public string Device { get; }
    public CheckpointStore Checkpoints { get; }
    private int? SeedOverride { get; }
    private int? MaxEpochsOverride { get; }

    /// <summary>The tool's seed if it gave one, else the program's own.</summary>
    public int Seed(int programDefault) => SeedOverride ?? programDefault;

    /// <summary>The tool's epoch budget if it gave one (to extend or shorten a trial), else the block's.</summary>
    public int Epochs(int declared) => plannedEpochs = MaxEpochsOverride ?? declared;

    private int plannedEpochs;

    /// <summary>True once the tool has asked the program to stop (pruned); finish the epoch and return.</summary>
    public bool StopRequested => File.Exists(Path.Combine(Folder, TrialEnvironment.StopFile));

    /// <summary>
    /// Appends one JSON line for a finished epoch to the metrics file (flushed to disk before returning),
    /// and tells the tool. Report before saving the checkpoint: a rerun epoch then overwrites its line
    /// (readers keep the last line of an epoch) and no reported epoch is ever missing.
    /// </summary>
    public void ReportEpoch(int epoch, IReadOnlyDictionary<string, double> metrics, double? seconds = null)
    {
        if (standing.Count > 0)
        {
            // The epoch's own metrics first, in their order (what a person reads first), then the standing ones it lacks.
            var all = new Dictionary<string, double>(metrics, StringComparer.Ordinal);
            foreach (var (name, value) in standing) all.TryAdd(name, value);
            metrics = all;
        }
        var line = new MetricLine(epoch, metrics, seconds) { Of = plannedEpochs > 0 ? plannedEpochs : null };
        var json = JsonSerializer.Serialize(line, SdkJson.Options);
        try
        {
            using var stream = new FileStream(Path.Combine(Folder, TrialEnvironment.MetricsFile), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            using var writer = new StreamWriter(stream);
            writer.WriteLine(json);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        catch (IOException e) when (UnderTool && CheckpointStore.IsDiskFull(e))
        {
            Fail(TrialFailure.Infrastructure, $"disk full while writing the metrics of epoch {epoch} in {Folder}: free space and run again");
        }
        output.WriteLine(TrialEnvironment.LinePrefix + "epoch " + json);
        output.Flush();
    }

    private readonly Dictionary<string, double> standing = new(StringComparer.Ordinal);

    /// <summary>
    /// A metric that holds for the whole trial, such as the model's size (the TorchSharp helper's
    /// <c>trial.ReportParameterCount(model)</c> calls this with "params"): it is added to every epoch line
    /// reported after this call, so the tool can judge a constraint on it ("params&lt;=200000") at any epoch.
    /// </summary>
    public void ReportFixedMetric(string name, double value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        standing[name] = value;
    }

    /// <summary>Live progress inside an epoch, for the tool's display; throttled to a few lines a second.</summary>
    public void ReportProgress(int epoch, int batch, int batches, double loss)
    {
        var now = DateTime.UtcNow;
        if (batch < batches && (now - lastProgress).TotalMilliseconds < 250) return;
        lastProgress = now;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{TrialEnvironment.LinePrefix}progress {{\"epoch\":{epoch},\"epochs\":{plannedEpochs},\"batch\":{batch},\"batches\":{batches},\"loss\":{(double.IsFinite(loss) ? loss.ToString("R", CultureInfo.InvariantCulture) : "null")}}}"));
        output.Flush();
    }

    /// <summary>Tells the tool which device the program trains on (shown in its progress line).</summary>
    public void ReportDevice(string actual)
    {
        output.WriteLine($"{TrialEnvironment.LinePrefix}device {JsonSerializer.Serialize(new { requested = Device, actual })}");
        output.Flush();
    }

    /// <summary>
    /// Marks the end of a start-up phase (e.g. "main", "framework", "data") with the wall clock, so the
    /// tool (and bench/fixed-cost) can split a trial's fixed cost; the tool's display ignores it.
    /// </summary>
    public void ReportPhase(string name)
    {
        var unixMs = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{TrialEnvironment.LinePrefix}phase {{\"name\":{JsonSerializer.Serialize(name)},\"unixMs\":{unixMs:F3}}}"));
        output.Flush();
    }

    /// <summary>
    /// Ends the program with a failure the tool classifies rather than retries: infrastructure
    /// (no such device, exit 5 of the tool), invalid input (exit 2) or the model itself (exit 4).
    /// </summary>
    public void Fail(TrialFailure kind, string message)
    {
        output.WriteLine($"{TrialEnvironment.LinePrefix}fail {JsonSerializer.Serialize(new { kind = kind.ToString().ToLowerInvariant(), message })}");
        output.Flush();
        Environment.Exit(TrialEnvironment.FailExitCode);
    }

    private static int? ParseInt(string? s) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}

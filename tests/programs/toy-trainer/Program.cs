using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Autotune;
using ToyTrainer;

// TOY_MODE picks what the runner tests need: train (default), allocate (native memory until the
// kernel kills it), inspect (prints what the program can see and do from inside its sandbox).
return Environment.GetEnvironmentVariable("TOY_MODE") switch
{
    "allocate" => Allocate(),
    "inspect" => Inspect(),
    "fail" => Fail(),
    _ => Train(),
};

static int Train()
{
    var trial = Trial.Current;
    var epochs = trial.Epochs(declared: Hyper.Epochs);
    var samples = Int("TOY_SAMPLES", 20_000);
    var delay = Int("TOY_EPOCH_DELAY_MS", 0);
    var data = new LinearData(trial.Seed(7), samples, features: 16);
    var model = new double[data.Features + 1];
    var first = 1;
    if (trial.Checkpoints.Latest() is { } checkpoint)
    {
        model = File.ReadAllBytes(checkpoint.File("weights.bin")).Chunk(8).Select(b => BitConverter.ToDouble(b)).ToArray();
        first = checkpoint.Epoch + 1;
        Console.WriteLine($"resumed from epoch {checkpoint.Epoch}");
    }
    for (var epoch = first; epoch <= epochs && !trial.StopRequested; epoch++)
    {
        var clock = Stopwatch.StartNew();
        // The order of an epoch depends on the seed and the epoch only, so a resumed run repeats it exactly.
        var order = Enumerable.Range(0, samples).ToArray();
        new Random(trial.Seed(7) * 1000 + epoch).Shuffle(order);
        for (var i = 0; i < order.Length; i++)
        {
            data.Step(model, order[i], Hyper.LearningRate);
            if (i % 2000 == 0) trial.ReportProgress(epoch, i / 2000 + 1, samples / 2000, data.Loss(model, 200));
        }
        if (delay > 0) Thread.Sleep(delay);
        var seconds = clock.Elapsed.TotalSeconds;
        trial.ReportEpoch(epoch, new Dictionary<string, double>
        {
            ["loss"] = data.Loss(model, samples),
            ["samples_per_s"] = samples / seconds,
        }, seconds);
        trial.Checkpoints.Save(epoch, folder => File.WriteAllBytes(Path.Combine(folder, "weights.bin"),
            model.SelectMany(BitConverter.GetBytes).ToArray()));
    }
    return 0;
}

static int Allocate()
{
    var blocks = new List<IntPtr>();
    for (var mb = 16; mb <= 4096; mb += 16)
    {
        // Native memory, touched page by page: the GC's heap limit never sees it, the kernel's cgroup does.
        var block = Marshal.AllocHGlobal(16 << 20);
        for (var offset = 0; offset < 16 << 20; offset += 4096) Marshal.WriteByte(block, offset, 1);
        blocks.Add(block);
        Console.WriteLine($"allocated {mb} MiB");
    }
    return 0;
}

static int Fail()
{
    Console.WriteLine("loading data");
    Console.Error.WriteLine("error: the data folder /data/train is empty");
    return 3;
}

static int Inspect()
{
    var status = File.ReadAllLines("/proc/self/status");
    string Field(string name) => status.First(l => l.StartsWith(name + ":")).Split(':', 2)[1].Trim();
    Console.WriteLine("uid=" + Field("Uid").Split('\t')[0]);
    Console.WriteLine("capeff=" + Field("CapEff"));
    Console.WriteLine("nonewprivs=" + Field("NoNewPrivs"));
    var programWritable = true;
    try { File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "probe.txt"), "x"); }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { programWritable = false; }
    Console.WriteLine("program-writable=" + programWritable.ToString().ToLowerInvariant());
    var trialWritable = true;
    try { File.WriteAllText(Path.Combine(Trial.Current.Folder, "probe.txt"), "x"); }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { trialWritable = false; }
    Console.WriteLine("trial-writable=" + trialWritable.ToString().ToLowerInvariant());
    // TOY_PROBE_DIR: a folder the test expects to be read-only inside the container (the model's source).
    if (Environment.GetEnvironmentVariable("TOY_PROBE_DIR") is { Length: > 0 } probe)
    {
        var probeWritable = true;
        try { File.WriteAllText(Path.Combine(probe, "probe.txt"), "x"); File.Delete(Path.Combine(probe, "probe.txt")); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { probeWritable = false; }
        Console.WriteLine("probe-readable=" + Directory.Exists(probe).ToString().ToLowerInvariant());
        Console.WriteLine("probe-writable=" + probeWritable.ToString().ToLowerInvariant());
    }
    var interfaces = Directory.Exists("/sys/class/net") ? Directory.GetDirectories("/sys/class/net").Select(d => Path.GetFileName(d)!).Order().ToArray() : [];
    Console.WriteLine("interfaces=" + string.Join(",", interfaces));
    foreach (var name in new[] { "NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES", TrialEnvironment.Device, TrialEnvironment.Folder })
        Console.WriteLine(name + "=" + Environment.GetEnvironmentVariable(name));
    return 0;
}

static int Int(string name, int fallback) =>
    int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;

/// <summary>y = w·x + b + noise, generated from a seed: a regression that SGD learns in a few epochs.</summary>
sealed class LinearData
{
    private readonly double[][] x;
    private readonly double[] y;
    public int Features { get; }

    public LinearData(int seed, int samples, int features)
    {
        Features = features;
        var random = new Random(seed);
        var truth = Enumerable.Range(0, features + 1).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        x = new double[samples][];
        y = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            x[i] = Enumerable.Range(0, features).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            y[i] = truth[features] + x[i].Select((v, j) => v * truth[j]).Sum() + (random.NextDouble() - 0.5) * 0.1;
        }
    }

    public void Step(double[] model, int i, double learningRate)
    {
        var error = Predict(model, i) - y[i];
        for (var j = 0; j < Features; j++) model[j] -= learningRate * error * x[i][j];
        model[Features] -= learningRate * error;
    }

    public double Loss(double[] model, int count)
    {
        var sum = 0.0;
        for (var i = 0; i < count; i++) { var e = Predict(model, i) - y[i]; sum += e * e; }
        return sum / count;
    }

    private double Predict(double[] model, int i)
    {
        var p = model[Features];
        for (var j = 0; j < Features; j++) p += model[j] * x[i][j];
        return p;
    }
}

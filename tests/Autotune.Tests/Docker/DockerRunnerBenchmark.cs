using System.Diagnostics;
using System.Globalization;
using Autotune.Train;
using Autotune.Train.Docker;

namespace Autotune.Tests.Docker;

/// <summary>
/// Numbers for bench/RESULTS.md, run only with AUTOTUNE_BENCH=1 (they take a minute on 2 cores):
/// the fixed cost a container adds to a trial, and training throughput in a container against a process.
/// </summary>
[Collection("Docker")]
[Trait("Category", "Bench")]
public sealed class DockerRunnerBenchmark(DockerEngineFixture docker, ITestOutputHelper output) : IDisposable
{
    private readonly string trialFolder = Directory.CreateTempSubdirectory("autotune-bench-").FullName;

    private TrialLaunch Launch(params (string, string)[] extra)
    {
        var env = new Dictionary<string, string> { [TrialEnvironment.Folder] = trialFolder, [TrialEnvironment.Seed] = "5" };
        foreach (var (k, v) in extra) env[k] = v;
        return new TrialLaunch(docker.Toy, trialFolder, env, TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task Container_start_overhead_and_training_throughput_against_the_process_runner()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("AUTOTUNE_BENCH") == "1", "benchmark: set AUTOTUNE_BENCH=1 to run it");
        docker.SkipWhenUnavailable();
        IRunner process = new ProcessRunner();
        IRunner container = new DockerRunner(new DockerRunnerOptions(DockerEndpoint.Resolve(docker.Endpoint), BaseImage.Tag, "bench"));

        // Start overhead: the same program that does next to nothing (inspect mode), started N times by each runner.
        const int starts = 7;
        async Task<double> MedianStart(IRunner runner)
        {
            var times = new List<double>();
            for (var i = 0; i < starts; i++)
            {
                var clock = Stopwatch.StartNew();
                (await runner.RunAsync(Launch(("TOY_MODE", "inspect")), _ => { }, CancellationToken.None)).Succeeded.ShouldBeTrue();
                times.Add(clock.Elapsed.TotalSeconds);
            }
            times.Sort();
            return times[starts / 2];
        }
        await MedianStart(container); // warm the engine's caches once
        var processStart = await MedianStart(process);
        var containerStart = await MedianStart(container);

        // Throughput: 6 epochs of 400,000 samples each, epoch 1 left out (JIT warm-up). The runners take turns,
        // three rounds, so load from other work on a shared machine falls on both alike.
        async Task<List<double>> Rates(IRunner runner)
        {
            foreach (var f in Directory.GetFileSystemEntries(trialFolder))
                if (Directory.Exists(f)) Directory.Delete(f, true); else File.Delete(f);
            (await runner.RunAsync(Launch(("TOY_SAMPLES", "400000"), (TrialEnvironment.MaxEpochs, "6")), _ => { }, CancellationToken.None)).Succeeded.ShouldBeTrue();
            return MetricsFile.Read(Path.Combine(trialFolder, TrialEnvironment.MetricsFile)).Skip(1).Select(e => e.Metrics["samples_per_s"]).ToList();
        }
        var processRates = new List<double>();
        var containerRates = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            processRates.AddRange(await Rates(process));
            containerRates.AddRange(await Rates(container));
        }
        static double Median(List<double> xs) { var s = xs.Order().ToList(); return s[s.Count / 2]; }
        var (processRate, containerRate) = (Median(processRates), Median(containerRates));
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";

        var report = string.Create(CultureInfo.InvariantCulture,
            $"start (median of {starts}): process {processStart:F2} s, container {containerStart:F2} s, overhead {containerStart - processStart:F2} s per start\n" +
            $"throughput (median of 15 epochs each, 3 alternating rounds): process {processRate:F0} samples/s, container {containerRate:F0} samples/s, ratio {containerRate / processRate:F3}\n" +
            $"per-epoch range: process {processRates.Min():F0}-{processRates.Max():F0}, container {containerRates.Min():F0}-{containerRates.Max():F0}; load average at the end {load}\n");
        output.WriteLine(report);
        if (Environment.GetEnvironmentVariable("AUTOTUNE_BENCH_OUT") is { Length: > 0 } file) File.WriteAllText(file, report);
    }

    public void Dispose() => Directory.Delete(trialFolder, recursive: true);
}

using System.Diagnostics;
using Autotune.Tests.Support;

namespace Autotune.Tests.Train;

/// <summary>A copy of tests/programs/plain-toy (no SDK), built once for the class.</summary>
public sealed class PlainToyCopy : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("autotune-plain-").FullName;

    public PlainToyCopy()
    {
        var source = Path.Combine(Tool.RepositoryRoot, "tests", "programs", "plain-toy");
        foreach (var f in new[] { "PlainToy.csproj", "Program.cs" }) File.Copy(Path.Combine(source, f), Path.Combine(Folder, f));
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

/// <summary>`autotune train` on a program that does not use the SDK: its metrics are read from what it prints.</summary>
[Trait("Category", "Integration")]
public sealed class PlainProgramTests(PlainToyCopy toy) : IClassFixture<PlainToyCopy>, IDisposable
{
    private readonly string trials = Directory.CreateTempSubdirectory("autotune-plain-trials-").FullName;

    private Task<Tool.Result> Train(string mode, params string[] extra) =>
        Tool.RunAsync(["train", toy.Folder, "--trial-dir", Path.Combine(trials, mode), .. extra],
            new Dictionary<string, string> { ["PLAIN_TOY_MODE"] = mode });

    [Fact]
    public async Task Printed_keras_lines_become_the_trials_per_epoch_metrics()
    {
        var r = await Train("keras");
        r.ExitCode.ShouldBe(0, r.All);
        var epochs = MetricsFile.Read(Path.Combine(trials, "keras", TrialEnvironment.MetricsFile));
        epochs.Select(e => e.Epoch).ShouldBe([1, 2, 3]);
        epochs.Select(e => e.Metrics["accuracy"]).ShouldBe([0.8, 0.9, 1.0]); // printed as percentages
        epochs.ShouldAllBe(e => !e.Metrics.ContainsKey("loaded") && !e.Metrics.ContainsKey("learning_rate"));
        File.ReadAllText(Path.Combine(trials, "keras", "trial.log")).ShouldContain("does not use the Autotune SDK");
    }

    [Fact]
    public async Task A_program_that_prints_no_metric_exits_4_with_the_last_lines_it_printed()
    {
        var r = await Train("silent");
        r.ExitCode.ShouldBe(4, r.All);
        r.Error.Split('\n')[0].ShouldContain("printed no metric");
        r.Error.ShouldContain("  | done, model saved to model.bin");
    }

    [Fact]
    public async Task A_target_metric_the_program_does_not_print_exits_4_naming_the_close_one()
    {
        File.WriteAllText(Path.Combine(toy.Folder, "autotune.json"), "{\"target\": \"auc>=0.9\"}");
        try
        {
            var r = await Train("keras");
            r.ExitCode.ShouldBe(4, r.All);
            r.Error.Split('\n')[0].ShouldContain("printed no metric 'auc'");
            r.Error.ShouldContain("Epoch 3/3");
        }
        finally { File.Delete(Path.Combine(toy.Folder, "autotune.json")); }
    }

    [Fact]
    public async Task An_expression_that_does_not_compile_exits_2_naming_the_file_and_key()
    {
        File.WriteAllText(Path.Combine(toy.Folder, "autotune.json"), "{\"metrics\": {\"accuracy\": \"acc=(?<value>[0-9.]+\"}}");
        try
        {
            var r = await Train("keras");
            r.ExitCode.ShouldBe(2, r.All);
            r.Error.Split('\n')[0].ShouldContain(Path.Combine(toy.Folder, "autotune.json") + ": \"metrics\".\"accuracy\": the regular expression does not compile");
        }
        finally { File.Delete(Path.Combine(toy.Folder, "autotune.json")); }
    }

    [Fact]
    public async Task A_nan_loss_fails_the_trial_with_the_reason()
    {
        var r = await Train("nan");
        r.ExitCode.ShouldBe(4, r.All);
        r.Error.Split('\n')[0].ShouldContain("the trial failed: loss is nan at epoch 2");
        File.ReadAllText(Path.Combine(trials, "nan", "result.json")).ShouldContain("\"failed\"");
    }

    [Fact]
    public async Task A_line_of_eight_megabytes_is_logged_cut_and_the_metrics_after_it_are_read()
    {
        var r = await Train("longline");
        r.ExitCode.ShouldBe(0, r.All);
        var log = File.ReadAllLines(Path.Combine(trials, "longline", "trial.log"));
        log.Max(l => l.Length).ShouldBeLessThan(70_000);
        log.ShouldContain(l => l.EndsWith("[autotune: line cut at 65536 characters]"));
        MetricsFile.Read(Path.Combine(trials, "longline", TrialEnvironment.MetricsFile)).Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_program_printing_one_line_without_end_is_stopped_as_silent_with_bounded_memory()
    {
        var (code, peak) = await TrainMeasuringMemory("endlessline", "--silence-timeout", "4", "--retries", "0");
        code.ShouldBe(4);
        peak.ShouldBeLessThan(400L << 20); // reading it whole would take gigabytes in these seconds
    }

    [Fact]
    public async Task A_program_printing_without_end_is_stopped_at_its_time_limit_and_its_log_is_capped()
    {
        var (code, peak) = await TrainMeasuringMemory("endless", "--timeout", "6", "--retries", "0");
        code.ShouldBe(4);
        peak.ShouldBeLessThan(400L << 20);
        new FileInfo(Path.Combine(trials, "endless", "trial.log")).Length.ShouldBeLessThan(18L << 20);
        File.ReadAllText(Path.Combine(trials, "endless", "trial.log")).ShouldContain("ran past its time limit of 6 s");
    }

    /// <summary>Runs the tool and samples its peak resident memory (VmHWM) until it exits.</summary>
    private async Task<(int Code, long PeakBytes)> TrainMeasuringMemory(string mode, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Tool.Assembly, "train", toy.Folder, "--trial-dir", Path.Combine(trials, mode) }.Concat(extra)) start.ArgumentList.Add(a);
        start.Environment["PLAIN_TOY_MODE"] = mode;
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long peak = 0;
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!process.HasExited && DateTime.UtcNow < deadline)
        {
            try
            {
                var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:"));
                if (line is not null) peak = Math.Max(peak, long.Parse(line.Split(':')[1].Trim().Split(' ')[0]) * 1024);
            }
            catch (IOException) { }
            await Task.Delay(100);
        }
        if (!process.HasExited) { process.Kill(entireProcessTree: true); throw new TimeoutException($"autotune train ({mode}) did not stop"); }
        await process.WaitForExitAsync();
        return (process.ExitCode, peak);
    }

    public void Dispose() => Directory.Delete(trials, recursive: true);
}

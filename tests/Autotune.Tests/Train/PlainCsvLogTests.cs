using System.Text.Json;
using Autotune.Tests.Support;

namespace Autotune.Tests.Train;

/// <summary>
/// tests/programs/plain-csv-log, a program without the SDK that logs its epochs to metrics.csv (Keras'
/// CSVLogger's form) and prints nothing autotune can read, trained and tuned by the real tool with no
/// autotune.json: its metrics come from the file its code writes.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PlainCsvLogTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autotune-plain-csv-").FullName;
    private readonly string scratch = Directory.CreateTempSubdirectory("autotune-plain-csv-trials-").FullName;

    public PlainCsvLogTests()
    {
        var source = Path.Combine(Tool.RepositoryRoot, "tests", "programs", "plain-csv-log");
        foreach (var f in new[] { "PlainCsvLog.csproj", "Program.cs" }) File.Copy(Path.Combine(source, f), Path.Combine(folder, f));
    }

    /// <summary>val_accuracy of epoch <paramref name="epoch"/> (from 1) as the program computes it at its own learning rate.</summary>
    private static double Accuracy(int epoch, double learningRate = 0.05) => Math.Round(1 - 0.5 * Math.Exp(-4 * learningRate * epoch), 4);

    private Task<Tool.Result> Train(string trial, Dictionary<string, string>? env = null) =>
        Tool.RunAsync(["train", folder, "--trial-dir", Path.Combine(scratch, trial)], env);

    private IReadOnlyList<MetricLine> Epochs(string trial) => MetricsFile.Read(Path.Combine(scratch, trial, TrialEnvironment.MetricsFile));

    [Fact]
    public async Task Train_reads_the_val_accuracy_of_every_epoch_from_the_csv_the_code_writes_and_says_so_once()
    {
        var r = await Train("one");

        r.ExitCode.ShouldBe(0, r.All);
        r.Output.Split('\n').Count(l => l.Contains("metrics: read from metrics.csv, which Program.cs:16 writes")).ShouldBe(1, r.Output);
        var epochs = Epochs("one");
        epochs.Select(e => e.Epoch).ShouldBe([1, 2, 3, 4, 5, 6]); // the file counts from 0
        epochs.Select(e => e.Metrics["val_accuracy"]).ShouldBe(Enumerable.Range(1, 6).Select(e => Accuracy(e)));
        epochs.ShouldAllBe(e => e.Metrics.ContainsKey("loss"));
    }

    [Fact]
    public async Task A_second_train_never_reads_the_rows_the_first_left_in_the_shared_build_folder()
    {
        (await Train("first")).ExitCode.ShouldBe(0);
        // The program appends to a file it finds: without the tool's care, the second run's rows would follow the first's, under its header.
        var r = await Train("second", new Dictionary<string, string> { ["PLAIN_CSV_EPOCHS"] = "2" });

        r.ExitCode.ShouldBe(0, r.All);
        Epochs("second").Select(e => (e.Epoch, e.Metrics["val_accuracy"])).ShouldBe([(1, Accuracy(1)), (2, Accuracy(2))]);
    }

    [Fact]
    public async Task A_program_killed_mid_trial_that_resumes_by_itself_has_the_rows_it_appends_without_a_header_read()
    {
        var checkpoint = Path.Combine(scratch, "checkpoint.txt");

        var r = await Train("killed", new Dictionary<string, string> { ["PLAIN_CSV_CHECKPOINT"] = checkpoint });

        r.ExitCode.ShouldBe(0, r.All);
        File.Exists(checkpoint + ".killed").ShouldBeTrue();
        File.ReadAllText(Path.Combine(scratch, "killed", "trial.log")).ShouldContain("start 2");
        // A restart of a program without the SDK is read anew; the rows of its first start are not read twice.
        Epochs("killed").Select(e => (e.Epoch, e.Metrics["val_accuracy"])).ShouldBe(new[] { 3, 4, 5, 6 }.Select(e => (e, Accuracy(e))));
    }

    [Fact]
    public async Task Run_tunes_it_to_a_val_accuracy_target_from_the_csv_and_records_every_epoch()
    {
        var r = await Tool.RunAsync(["run", folder, "--target", "val_accuracy>=0.9", "--max-trials", "4", "--seed", "0", "--no-apply"],
            timeout: TimeSpan.FromMinutes(6));

        r.ExitCode.ShouldBeOneOf([0, 3], r.All);
        r.Output.Split('\n').Count(l => l.Contains("metrics: read from metrics.csv, which Program.cs:16 writes")).ShouldBe(1, r.Output);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, ".autotune", "report", "report.json")));
        var first = report.RootElement.GetProperty("trials")[0];
        first.GetProperty("state").GetString().ShouldBe("completed"); // the code's own rate: six epochs, below the target
        first.GetProperty("value").GetDouble().ShouldBe(Accuracy(6));
        // The study recorded its val_accuracy epoch by epoch, as ASHA and the report see it.
        first.GetProperty("curve").EnumerateArray().Select(p => (p.GetProperty("epoch").GetInt32(), p.GetProperty("value").GetDouble()))
            .ShouldBe(Enumerable.Range(1, 6).Select(e => (e, Accuracy(e))));
    }

    public void Dispose()
    {
        Directory.Delete(folder, recursive: true);
        Directory.Delete(scratch, recursive: true);
    }
}

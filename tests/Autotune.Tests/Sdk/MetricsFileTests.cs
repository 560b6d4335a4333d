using Autotune;

namespace Autotune.Tests.Sdk;

public sealed class MetricsFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autotune-metrics-").FullName;

    [Fact]
    public void An_epoch_reported_twice_keeps_its_last_line()
    {
        var trial = new Trial(folder, output: TextWriter.Null);
        trial.ReportEpoch(1, new Dictionary<string, double> { ["accuracy"] = 0.5 });
        trial.ReportEpoch(2, new Dictionary<string, double> { ["accuracy"] = 0.6 });
        trial.ReportEpoch(2, new Dictionary<string, double> { ["accuracy"] = 0.7 });
        var lines = MetricsFile.Read(Path.Combine(folder, TrialEnvironment.MetricsFile));
        lines.Select(l => l.Epoch).ShouldBe([1, 2]);
        lines[1].Metrics["accuracy"].ShouldBe(0.7);
    }

    [Fact]
    public void A_fixed_metric_joins_every_epoch_reported_after_it_and_an_epoch_value_wins()
    {
        var trial = new Trial(folder, output: TextWriter.Null);
        trial.ReportEpoch(1, new Dictionary<string, double> { ["accuracy"] = 0.5 });
        trial.ReportFixedMetric("params", 412_000);
        trial.ReportEpoch(2, new Dictionary<string, double> { ["accuracy"] = 0.6 });
        trial.ReportEpoch(3, new Dictionary<string, double> { ["accuracy"] = 0.7, ["params"] = 1 });
        var lines = MetricsFile.Read(Path.Combine(folder, TrialEnvironment.MetricsFile));
        lines[0].Metrics.ContainsKey("params").ShouldBeFalse();
        lines[1].Metrics["params"].ShouldBe(412_000);
        lines[2].Metrics["params"].ShouldBe(1);
    }

    [Fact]
    public void A_torn_last_line_is_ignored()
    {
        var trial = new Trial(folder, output: TextWriter.Null);
        trial.ReportEpoch(1, new Dictionary<string, double> { ["accuracy"] = 0.5 });
        File.AppendAllText(Path.Combine(folder, TrialEnvironment.MetricsFile), "{\"epoch\":2,\"metr");
        MetricsFile.Read(Path.Combine(folder, TrialEnvironment.MetricsFile)).Count.ShouldBe(1);
    }

    [Fact]
    public void The_tool_overrides_seed_and_epochs_through_the_environment()
    {
        var env = new Dictionary<string, string> { [TrialEnvironment.Folder] = folder, [TrialEnvironment.Seed] = "7", [TrialEnvironment.MaxEpochs] = "3" };
        var trial = Trial.FromEnvironment(k => env.GetValueOrDefault(k));
        trial.UnderTool.ShouldBeTrue();
        trial.Seed(42).ShouldBe(7);
        trial.Epochs(10).ShouldBe(3);
    }

    [Fact]
    public void A_stop_file_asks_the_program_to_stop()
    {
        var trial = new Trial(folder, output: TextWriter.Null);
        trial.StopRequested.ShouldBeFalse();
        File.WriteAllText(Path.Combine(folder, TrialEnvironment.StopFile), "");
        trial.StopRequested.ShouldBeTrue();
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

using System.Text.Json;
using Autotune.Cli;
using Autotune.Search;
using Autotune.Study;

namespace Autotune.Tests.Report;

/// <summary>
/// A best trial that planned more epochs than it trained (epochs are the fidelity: the target stopped it) is
/// written with the epoch its value was measured at; the report says both, so it agrees with the diff.
/// </summary>
public sealed class ReportWrittenValuesTests : IDisposable
{
    private readonly string model = Directory.CreateTempSubdirectory("autotune-written-").FullName;

    [Fact]
    public async Task The_best_trial_shows_the_epochs_written_for_it_beside_the_epochs_it_planned()
    {
        File.WriteAllText(Path.Combine(model, "m.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />\n");
        var space = new SearchSpace([
            new Parameter("Epochs", "int", new IntRange(1, 12), 3L),
            new Parameter("LearningRate", "double", new RealRange(1e-4, 1e-2, Log: true), 1e-3),
        ]);
        using (var store = StudyStore.Open(Path.Combine(model, ".autotune", "study.db")))
        {
            var study = store.CreateStudy("m", "m", space, "accuracy>=0.99", "tpe", 1, "{}");
            Trial(store, study, 3L, [0.95, 0.97, 0.98]);
            Trial(store, study, 12L, [0.97, 0.985, 0.992]); // planned 12, the target met at epoch 3
        }

        var output = new StringWriter();
        (await CommandLine.RunAsync(["report", model, "--out", Path.Combine(model, "out")], output, new StringWriter())).ShouldBe(0, output.ToString());

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "out", "report.json")));
        var best = json.RootElement.GetProperty("best");
        best.GetProperty("values").GetProperty("Epochs").GetInt64().ShouldBe(12);
        best.GetProperty("written").GetProperty("Epochs").GetInt64().ShouldBe(3);
        best.GetProperty("written").GetProperty("LearningRate").GetDouble().ShouldBe(0.002);
        json.RootElement.GetProperty("trials")[0].TryGetProperty("written", out _).ShouldBeFalse();
        File.ReadAllText(Path.Combine(model, "out", "report.html")).ShouldContain("<tr><th>Epochs</th><td>3 (measured there; 12 planned)</td></tr>");
        File.ReadAllText(Path.Combine(model, "out", "report.txt")).ShouldContain("Epochs = 3 (measured there; 12 planned)");
    }

    private static void Trial(StudyStore store, StudyInfo study, long epochs, double[] accuracy)
    {
        var number = store.AddTrial(study, new Assignment(new Dictionary<string, object> { ["Epochs"] = epochs, ["LearningRate"] = 0.001 * epochs / 6 })).Number;
        store.MarkRunning(study, number);
        for (var e = 0; e < accuracy.Length; e++)
            store.RecordEpoch(study, number, new MetricLine(e + 1, new Dictionary<string, double> { ["accuracy"] = accuracy[e] }, 0.5));
        store.Finish(study, number, TrialState.Completed, accuracy[^1], restarts: 0, error: null);
    }

    public void Dispose() => Directory.Delete(model, recursive: true);
}

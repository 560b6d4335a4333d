using Autotune.Cli;
using Autotune.Search;
using Autotune.Study;
using Microsoft.Data.Sqlite;

namespace Autotune.Tests.Study;

public sealed class StudyStoreTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autotune-store-").FullName;
    private string StorePath => Path.Combine(folder, "study.db");

    private static readonly SearchSpace Space = new([
        new Parameter("Layers", "int", new IntRange(1, 4), 2L),
        new Parameter("Rate", "double", new RealRange(1e-4, 1e-1, Log: true), 1e-3),
        new Parameter("Width", "double", new Choice([1.0, 2.5]), 1.0),
        new Parameter("Pool", "string", new Choice(["max", "avg"]), "max"),
        new Parameter("Bias", "bool", new Choice([true, false]), true),
    ]);

    [Fact]
    public void A_trial_its_values_metrics_and_state_survive_closing_and_reopening_the_store()
    {
        using (var store = StudyStore.Open(StorePath))
        {
            var study = store.CreateStudy("mnist", "samples/mnist-cnn", Space, "accuracy>=0.99", "tpe", 7, "{}");
            var values = new Assignment(new Dictionary<string, object> { ["Layers"] = 3L, ["Rate"] = 0.01, ["Width"] = 1.0, ["Pool"] = "avg", ["Bias"] = false });
            store.AddTrial(study, values).Number.ShouldBe(1);
            store.MarkRunning(study, 1);
            store.RecordEpoch(study, 1, new MetricLine(1, new Dictionary<string, double> { ["accuracy"] = 0.9 }, 1.0));
            store.RecordEpoch(study, 1, new MetricLine(2, new Dictionary<string, double> { ["accuracy"] = 0.95 }, 1.0));
            store.Finish(study, 1, TrialState.Completed, 0.95, restarts: 1, error: null);
        }
        using (var store = StudyStore.Open(StorePath))
        {
            var study = store.FindStudy("mnist").ShouldNotBeNull();
            study.Space.ShouldBe(Space);
            var trial = store.Trials(study).ShouldHaveSingleItem();
            trial.State.ShouldBe(TrialState.Completed);
            trial.Value.ShouldBe(0.95);
            trial.Epochs.ShouldBe(2);
            trial.Restarts.ShouldBe(1);
            trial.Values.ShouldBe(new Assignment(new Dictionary<string, object> { ["Layers"] = 3L, ["Rate"] = 0.01, ["Width"] = 1.0, ["Pool"] = "avg", ["Bias"] = false }));
            trial.Values["Width"].ShouldBeOfType<double>();
            trial.Metrics[2]["accuracy"].ShouldBe(0.95);
            store.Events(study).Select(e => e.Kind).ShouldBe(["study", "queued", "running", "completed"]);
        }
    }

    [Fact]
    public void Trial_numbers_are_consecutive_within_a_study()
    {
        using var store = StudyStore.Open(StorePath);
        var study = store.CreateStudy("s", "m", Space, "accuracy>=0.9", "random", 1, "{}");
        Enumerable.Range(0, 3).Select(_ => store.AddTrial(study, Space.Current()).Number).ShouldBe([1, 2, 3]);
    }

    [Fact]
    public void A_foreign_SQLite_file_is_refused_as_invalid_input()
    {
        using (var other = new SqliteConnection($"Data Source={StorePath};Pooling=False"))
        {
            other.Open();
            using var cmd = other.CreateCommand();
            cmd.CommandText = "CREATE TABLE customers(id INTEGER)";
            cmd.ExecuteNonQuery();
        }
        var e = Should.Throw<AutotuneException>(() => StudyStore.Open(StorePath));
        e.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        e.Message.ShouldContain("not an autotune study store");
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_as_invalid_input()
    {
        File.WriteAllText(StorePath, "this is not a database, just some text that is long enough to fill a header page...");
        var e = Should.Throw<AutotuneException>(() => StudyStore.Open(StorePath));
        e.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        e.Message.ShouldContain("not a readable study store");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}

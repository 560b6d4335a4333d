using Autotune;
using Autotune.Cli;
using Autotune.Search;
using Autotune.Study;
using Autotune.Tests.Report;
using Autotune.Tests.Support;
using Autotune.Tune;

namespace Autotune.Tests.Tune;

/// <summary>
/// A study with secondary objectives (`--minimize params`): its Pareto front, the best it picks, and what a resumed study
/// keeps. The trials are synthetic, recorded through the engine as if they had trained (no program runs).
/// </summary>
public sealed class ParetoStudyTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autotune-pareto-").FullName;
    private string StorePath => Path.Combine(folder, "study.db");

    private static TuneSettings Settings(string[]? minimize = null, params string[] constraints) =>
        RunCommand.Merge(new SettingsFile(), "accuracy>=0.99", 10, null, null, "random", 1, null, null, null, false, null,
            constraints: constraints, minimize: minimize ?? ["params"]);

    /// <summary>Trial of the synthetic space with ConvLayers=<paramref name="layers"/>, trained to <paramref name="accuracy"/> with <paramref name="parameters"/> (null: not reported).</summary>
    private static StoredTrial Train(StudyEngine engine, long layers, double accuracy, double? parameters)
    {
        var trial = TrainedTrials.With(engine, "ConvLayers", layers);
        engine.MarkRunning(trial.Number, "test");
        var metrics = new Dictionary<string, double> { ["accuracy"] = accuracy };
        if (parameters is { } p) metrics["params"] = p;
        engine.RecordEpoch(trial.Number, new MetricLine(1, metrics, 1.0));
        engine.Finish(trial.Number, TrialState.Completed, accuracy, 0, null);
        return trial;
    }

    private StudyEngine Open(StudyStore store, TuneSettings? settings = null) =>
        StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, settings ?? Settings(), new RandomStrategy());

    [Fact]
    public void Of_the_trials_that_reach_the_target_the_best_is_the_smallest_and_the_front_holds_every_trade_off()
    {
        using var store = StudyStore.Open(StorePath);
        var engine = Open(store);
        Train(engine, 1, 0.97, 10_000);   // small, off target
        Train(engine, 2, 0.995, 400_000); // the most accurate
        Train(engine, 3, 0.991, 60_000);  // on target and small: the best
        Train(engine, 4, 0.99, 90_000);   // beaten by 3 on both

        var trials = engine.Trials();
        engine.Best(trials)!.Number.ShouldBe(3);
        engine.ParetoFront(trials).ShouldBe([2, 3, 1]);
        engine.TargetReached(trials).ShouldBeTrue();
        engine.Propose().ShouldBeNull(); // the study still ends at the first trial on target
    }

    [Fact]
    public void Before_any_trial_reaches_the_target_the_best_is_the_most_accurate_whatever_its_size()
    {
        using var store = StudyStore.Open(StorePath);
        var engine = Open(store);
        Train(engine, 1, 0.98, 400_000);
        Train(engine, 2, 0.95, 1_000);

        engine.Best(engine.Trials())!.Number.ShouldBe(1);
        engine.ParetoFront(engine.Trials()).ShouldBe([1, 2]);
    }

    [Fact]
    public void A_trial_that_breaks_a_constraint_is_neither_on_the_front_nor_the_best()
    {
        using var store = StudyStore.Open(StorePath);
        var engine = Open(store, Settings(["params"], "latency_ms<5"));
        foreach (var (layers, accuracy, parameters, latency) in new[] { (1L, 0.992, 10_000.0, 9.0), (2L, 0.991, 50_000.0, 2.0) })
        {
            var trial = TrainedTrials.With(engine, "ConvLayers", layers);
            engine.MarkRunning(trial.Number, "test");
            engine.RecordEpoch(trial.Number, new MetricLine(1, new Dictionary<string, double> { ["accuracy"] = accuracy, ["params"] = parameters, ["latency_ms"] = latency }, 1.0));
            engine.Finish(trial.Number, TrialState.Completed, accuracy, 0, null);
        }

        engine.Best(engine.Trials())!.Number.ShouldBe(2);
        engine.ParetoFront(engine.Trials()).ShouldBe([2]);
    }

    [Fact]
    public void A_trial_whose_program_never_reported_the_metric_counts_for_the_target_and_as_the_largest()
    {
        using var store = StudyStore.Open(StorePath);
        var engine = Open(store);
        Train(engine, 1, 0.999, null);
        engine.Best(engine.Trials())!.Number.ShouldBe(1);

        Train(engine, 2, 0.99, 400_000);

        engine.Best(engine.Trials())!.Number.ShouldBe(2);
        engine.ParetoFront(engine.Trials()).ShouldBe([1, 2]);
    }

    [Fact]
    public void A_resumed_study_keeps_its_objectives_in_order_and_refuses_other_ones_in_one_line()
    {
        using (var store = StudyStore.Open(StorePath))
            Open(store, Settings(["params", "latency_ms"], "params<=200000"));

        using (var store = StudyStore.Open(StorePath))
        {
            var resumed = Open(store, Settings(["params,latency_ms"], "params<=200000"));
            resumed.Resumed.ShouldBeTrue();
            resumed.Minimize.ShouldBe(["params", "latency_ms"]);
            StudyObjectives.Of(resumed.Study).ShouldBe(["params", "latency_ms"]);
            StudyConstraints.Of(resumed.Study).Describe().ShouldBe("params<=200000");
            StudyEngine.ForTell(store, resumed.Study).Minimize.ShouldBe(["params", "latency_ms"]);

            var reordered = Should.Throw<AutotuneException>(() => Open(store, Settings(["latency_ms", "params"], "params<=200000")));
            reordered.ExitCode.ShouldBe(ExitCodes.InvalidInput);
            reordered.Message.ShouldContain("study 's' was made to minimize params, latency_ms, not latency_ms, params: give the same --minimize in the same order");
            reordered.Message.ShouldNotContain("\n");
            Should.Throw<AutotuneException>(() => Open(store, Settings([], "params<=200000"))).Message.ShouldContain("not none:");
        }
    }

    [Fact]
    public void A_study_made_without_objectives_refuses_them_when_resumed_and_reads_its_old_settings()
    {
        using var store = StudyStore.Open(StorePath);
        var old = Open(store, Settings([]));
        old.Study.Settings.ShouldBe("{}");
        StudyObjectives.Of(old.Study).ShouldBeEmpty();
        Should.Throw<AutotuneException>(() => Open(store)).Message.ShouldContain("was made to minimize none, not params");
    }

    [Theory]
    [InlineData("accuracy", "--minimize accuracy is the target's own metric")]
    [InlineData("params,9lives", "--minimize \"9lives\" is no metric name")]
    [InlineData("params,", "--minimize \"\" is no metric name")]
    public void A_bad_objective_is_invalid_input_with_one_line(string minimize, string message)
    {
        var e = Should.Throw<AutotuneException>(() => Settings([minimize]));
        e.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        e.Message.ShouldContain(message);
        e.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void Objectives_come_as_flags_or_commas_in_order_without_repeats_and_from_autotune_json_unless_flags_give_some()
    {
        Settings(["params, latency_ms", "params", "energy"]).MinimizeList.ShouldBe(["params", "latency_ms", "energy"]);

        File.WriteAllText(Path.Combine(folder, SettingsFile.FileName), """{ "target": "accuracy>=0.99", "minimize": ["latency_ms"] }""");
        var file = SettingsFile.Load(folder);
        RunCommand.Merge(file, null, null, null, null, null, null, null, null, null, false, null).MinimizeList.ShouldBe(["latency_ms"]);
        RunCommand.Merge(file, null, null, null, null, null, null, null, null, null, false, null, minimize: ["params"]).MinimizeList.ShouldBe(["params"]);
    }

    [Fact]
    public void The_trial_table_shows_each_objective_and_marks_the_front()
    {
        using var store = StudyStore.Open(StorePath);
        var engine = Open(store);
        Train(engine, 1, 0.995, 400_000);
        Train(engine, 2, 0.99, 500_000);
        var output = new StringWriter();

        TrialTable.Write(output, engine.Trials(), engine.Settings.Target, engine.Constraints, engine.Minimize);

        var lines = output.ToString().Split('\n');
        lines[0].ShouldStartWith("trial  state      accuracy  params  front");
        lines[1].ShouldContain("400000  *");
        lines[2].ShouldContain("500000   ");
        lines[2].ShouldNotContain("*");
        RunCommand.FrontLine(engine.Trials(), engine.Settings).ShouldBe("pareto front (accuracy, params): trial 1");
    }

    [Fact]
    public async Task Run_with_minimize_on_the_target_metric_exits_2_with_one_line_before_training()
    {
        using var study = new SyntheticStudy();
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await CommandLine.RunAsync(["run", study.ModelDir, "--target", "accuracy>=0.99", "--minimize", "accuracy"], output, error);

        code.ShouldBe(ExitCodes.InvalidInput);
        error.ToString().Trim().Split('\n').Length.ShouldBe(1, error.ToString());
        error.ToString().ShouldContain("--minimize accuracy is the target's own metric");
    }

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
    }
}

using Autotune;
using Autotune.Cli;
using Autotune.Search;
using Autotune.Study;
using Autotune.Tests.Report;
using Autotune.Tune;

namespace Autotune.Tests.Tune;

/// <summary>A study with constraints: which trials count, which is the best, and what a resumed study keeps.</summary>
public sealed class ConstraintStudyTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autotune-constraint-").FullName;
    private string StorePath => Path.Combine(folder, "study.db");

    private static TuneSettings Settings(params string[] constraints) =>
        RunCommand.Merge(new SettingsFile(), "accuracy>=0.99", 10, null, null, "random", 1, null, null, null, false, null, constraints: constraints);

    private static Dictionary<string, double> Epoch(double accuracy, double parameters) => new() { ["accuracy"] = accuracy, ["params"] = parameters };

    private static void Train(StudyEngine engine, StoredTrial trial, double accuracy, double parameters)
    {
        engine.MarkRunning(trial.Number, "test");
        engine.RecordEpoch(trial.Number, new MetricLine(1, Epoch(accuracy, parameters), 1.0));
        engine.Finish(trial.Number, TrialState.Completed, accuracy, 0, null);
    }

    [Fact]
    public void A_trial_that_reaches_the_target_while_breaking_a_constraint_goes_on_and_reaches_nothing()
    {
        using var store = StudyStore.Open(StorePath);
        var engine = StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, Settings("params<=200000"), new RandomStrategy());
        var big = engine.Propose()!;

        engine.Judge(big.Number, big.Values, [0.995], timedOut: false, metrics: Epoch(0.995, 412_000)).ShouldBe(EpochVerdict.Continue);
        engine.Judge(big.Number, big.Values, [0.995], timedOut: false, metrics: Epoch(0.995, 150_000)).ShouldBe(EpochVerdict.TargetReached);
        Train(engine, big, 0.995, 412_000);

        engine.TargetReached(engine.Trials()).ShouldBeFalse();
        engine.Best(engine.Trials()).ShouldBeNull();
        engine.Propose().ShouldNotBeNull(); // the study goes on
    }

    [Fact]
    public void The_best_trial_is_the_best_feasible_one_and_a_feasible_trial_on_target_ends_the_study()
    {
        using var store = StudyStore.Open(StorePath);
        var engine = StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, Settings("params<=200000"), new RandomStrategy());
        Train(engine, engine.Propose()!, 0.98, 100_000);
        Train(engine, engine.Propose()!, 0.995, 412_000);
        engine.Best(engine.Trials())!.Number.ShouldBe(1);
        engine.Broken(engine.Trials()[1]).ShouldBe(["params 412000 > 200000"]);

        Train(engine, engine.Propose()!, 0.991, 180_000);

        engine.TargetReached(engine.Trials()).ShouldBeTrue();
        engine.Best(engine.Trials())!.Number.ShouldBe(3);
        engine.Propose().ShouldBeNull();
    }

    [Fact]
    public void The_strategies_see_an_infeasible_trial_as_infeasible()
    {
        using var store = StudyStore.Open(StorePath);
        var engine = StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, Settings("params<=200000"), new RandomStrategy());
        Train(engine, engine.Propose()!, 0.995, 412_000);
        Train(engine, engine.Propose()!, 0.90, 1_000);

        var history = engine.Trials().Select(t => StudyEngine.ToSearch(t, engine.Settings.Target, engine.Constraints)).ToList();

        history.Select(t => t.Feasible).ShouldBe([false, true]);
        history.Ranked().Select(t => t.Number).ShouldBe([2, 1]);
    }

    [Fact]
    public void A_resumed_study_keeps_its_constraints_and_refuses_other_ones_in_one_line()
    {
        using (var store = StudyStore.Open(StorePath))
            StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, Settings("params<=200000", "latency_ms<5"), new RandomStrategy());

        using (var store = StudyStore.Open(StorePath))
        {
            var resumed = StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, Settings("latency_ms<5", "params<=200000"), new RandomStrategy());
            resumed.Resumed.ShouldBeTrue();
            StudyConstraints.Of(resumed.Study).Describe().ShouldBe("latency_ms<5, params<=200000");
            StudyEngine.ForTell(store, resumed.Study).Constraints.Describe().ShouldBe("latency_ms<5, params<=200000");

            var other = Should.Throw<AutotuneException>(() => StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, Settings("params<=100000"), new RandomStrategy()));
            other.ExitCode.ShouldBe(ExitCodes.InvalidInput);
            other.Message.ShouldContain("study 's' was made with the constraint(s) latency_ms<5, params<=200000, not params<=100000");
            other.Message.ShouldNotContain("\n");
            Should.Throw<AutotuneException>(() => StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, Settings(), new RandomStrategy()))
                .Message.ShouldContain("not none: give the same --constraint");
        }
    }

    [Fact]
    public void A_study_made_without_constraints_refuses_them_when_resumed()
    {
        using var store = StudyStore.Open(StorePath);
        StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, Settings(), new RandomStrategy());
        Should.Throw<AutotuneException>(() => StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, Settings("params<=200000"), new RandomStrategy()))
            .Message.ShouldContain("was made with no constraint, not params<=200000");
    }

    [Theory]
    [InlineData("params<=", "Constraint 'params<=' has no finite number")]
    [InlineData("params", "Cannot read constraint 'params'")]
    [InlineData("accuracy>=0.9", "bounds 'accuracy', the target's own metric: tighten --target \"accuracy>=0.99\" instead")]
    public void A_bad_constraint_is_invalid_input_with_one_line(string constraint, string message)
    {
        var e = Should.Throw<AutotuneException>(() => Settings(constraint));
        e.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        e.Message.ShouldContain(message);
        e.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void Constraints_come_from_autotune_json_unless_flags_give_some()
    {
        var file = new SettingsFile(Constraints: ["params<=200000"]);
        RunCommand.Merge(file, "accuracy>=0.99", null, null, null, null, null, null, null, null, false, null).ConstraintList.Describe().ShouldBe("params<=200000");
        RunCommand.Merge(file, "accuracy>=0.99", null, null, null, null, null, null, null, null, false, null, constraints: ["params<=5000"])
            .ConstraintList.Describe().ShouldBe("params<=5000");
    }

    [Fact]
    public void Autotune_json_reads_its_constraints_key()
    {
        File.WriteAllText(Path.Combine(folder, SettingsFile.FileName), """{ "target": "accuracy>=0.99", "constraints": ["params<=200000", "latency_ms<5"] }""");
        SettingsFile.Load(folder).Constraints.ShouldBe(["params<=200000", "latency_ms<5"]);

        File.WriteAllText(Path.Combine(folder, SettingsFile.FileName), """{ "constraints": "params<=200000" }""");
        Should.Throw<AutotuneException>(() => SettingsFile.Load(folder)).Message.ShouldContain("constraints: a list of texts");
    }

    [Fact]
    public async Task Run_with_a_malformed_constraint_exits_2_with_one_line_before_training()
    {
        using var study = new SyntheticStudy();
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await CommandLine.RunAsync(["run", study.ModelDir, "--target", "accuracy>=0.99", "--constraint", "params<=200000", "--constraint", "params=<5"], output, error);

        code.ShouldBe(ExitCodes.InvalidInput);
        error.ToString().Trim().Split('\n').Length.ShouldBe(1, error.ToString());
        error.ToString().ShouldContain("Cannot read constraint 'params=<5'");
    }

    [Fact]
    public void A_constraint_on_a_metric_the_first_epoch_lacks_is_refused_naming_what_the_program_reports()
    {
        var line = new MetricLine(1, new Dictionary<string, double> { ["loss"] = 0.3, ["accuracy"] = 0.9 }, 1.0);

        var refusal = StudyRunner.UnreportedConstraint([Constraint.Parse("params<=200000")], line)!;

        refusal.ShouldStartWith("--constraint \"params<=200000\": the program reports no metric 'params' (it reports accuracy, loss)");
        refusal.ShouldContain("trial.ReportParameterCount(model)");
        StudyRunner.UnreportedConstraint([Constraint.Parse("loss<1")], line).ShouldBeNull();
    }

    [Fact]
    public void The_trial_table_shows_each_infeasible_trial_with_what_it_broke()
    {
        using var store = StudyStore.Open(StorePath);
        var engine = StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, Settings("params<=200000"), new RandomStrategy());
        Train(engine, engine.Propose()!, 0.995, 412_000);
        Train(engine, engine.Propose()!, 0.98, 100_000);
        var output = new StringWriter();

        TrialTable.Write(output, engine.Trials(), engine.Settings.Target, engine.Constraints);

        var lines = output.ToString().Split('\n');
        lines[0].ShouldContain("constraints");
        lines[1].ShouldContain("infeasible: params 412000 > 200000");
        lines[2].ShouldContain(" met ");
    }

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
    }
}

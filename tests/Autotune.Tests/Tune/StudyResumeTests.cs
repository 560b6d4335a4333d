using Autotune.Cli;
using Autotune.Search;
using Autotune.Study;
using Autotune.Tests.Report;
using static Autotune.Tests.Support.TrainedTrials;
using Autotune.Tune;

namespace Autotune.Tests.Tune;

/// <summary>Which study a run resumes: the same space and target resume, whatever values the code holds now.</summary>
public sealed class StudyResumeTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autotune-resume-").FullName;
    private static readonly TuneSettings Settings = new(Target.Parse("accuracy>=0.99"));

    [Fact]
    public void A_study_resumes_after_its_best_values_were_applied_to_the_code()
    {
        using var store = StudyStore.Open(Path.Combine(folder, "study.db"));
        StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, Settings).Resumed.ShouldBeFalse();
        // What apply leaves: the same parameters and domains, other values in the code.
        var applied = new SearchSpace(SyntheticStudy.Space.Parameters.Select(p => p.Name == "ConvLayers" ? p with { Current = 3L } : p).ToList());

        StudyEngine.Open(store, "s", "m", applied, Settings).Resumed.ShouldBeTrue();
    }

    [Fact]
    public void A_study_for_a_changed_space_starts_over_from_the_finished_trials_that_fit_and_keeps_the_earlier_study()
    {
        using var store = StudyStore.Open(Path.Combine(folder, "study.db"));
        var engine = StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, Settings);
        var trained = new[] { 1L, 4L, 2L }.Select(layers => Trained(engine, With(engine, "ConvLayers", layers), 0.9 + layers / 100.0)).ToList();
        engine.Propose(); // queued, never finished: not taken over

        // ConvLayers narrowed to 1..3 (the trial with 4 no longer fits), and Dropout added at the code's 0.2.
        var changed = new SearchSpace([
            .. SyntheticStudy.Space.Parameters.Select(p => p.Name == "ConvLayers" ? p with { Domain = new IntRange(1, 3) } : p),
            new Parameter("Dropout", "double", new RealRange(0, 0.5), 0.2)]);
        var restarted = StudyEngine.Open(store, "s", "m", changed, Settings);

        restarted.WarmStartNote.ShouldBe("the search space changed: took over 2 of 3 finished trial(s) of the earlier study that fit the new space; it is kept as study 's-old-1'");
        var trials = restarted.Trials();
        trials.Select(t => (t.Number, (long)t.Values["ConvLayers"], (double)t.Values["Dropout"], t.Value)).ShouldBe([(1, 1L, 0.2, 0.91), (2, 2L, 0.2, 0.92)]);
        trials.ShouldAllBe(t => t.State == TrialState.Completed && t.Epochs == 2 && t.Metrics.Count == 2);
        store.Trials(store.FindStudy("s-old-1")!).Count.ShouldBe(4); // the earlier study, whole
        StudyEngine.Open(store, "s", "m", changed, Settings).WarmStartNote.ShouldBeNull(); // the same space again resumes
    }

    [Fact]
    public void A_study_made_for_another_target_is_refused()
    {
        using var store = StudyStore.Open(Path.Combine(folder, "study.db"));
        StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, Settings);

        Should.Throw<AutotuneException>(() => StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, new TuneSettings(Target.Parse("loss<=0.1"))))
            .Message.ShouldContain("made for another target (accuracy>=0.99)");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

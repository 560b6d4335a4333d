using Autotune.Cli;
using Autotune.Search;
using Autotune.Study;
using Autotune.Tests.Report;
using static Autotune.Tests.Support.TrainedTrials;
using Autotune.Tune;

namespace Autotune.Tests.Tune;

/// <summary>`run --from-study DIR`: a new study starts from another model folder's finished trials that fit its space.</summary>
public sealed class FromStudyTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("autotune-from-study-").FullName;
    private static readonly TuneSettings Accuracy = new(Target.Parse("accuracy>=0.99"));

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(root, name)).FullName;

    private static StudyStore StoreIn(string folder) => StudyStore.Open(Path.Combine(folder, ".autotune", "study.db"));

    [Fact]
    public void A_new_study_starts_from_the_finished_trials_of_another_folders_study_that_fit_its_space()
    {
        var earlier = Folder("earlier");
        using (var store = StoreIn(earlier))
        {
            var engine = StudyEngine.Open(store, "s", "earlier", SyntheticStudy.Space, Accuracy);
            foreach (var layers in new[] { 1L, 4L, 2L }) Trained(engine, With(engine, "ConvLayers", layers), 0.9 + layers / 100.0);
            engine.Propose(); // queued, never finished: not taken over
        }

        // This model's space: ConvLayers 1..3 (the trial with 4 does not fit) and a Dropout the earlier model did not have.
        var space = new SearchSpace([
            .. SyntheticStudy.Space.Parameters.Select(p => p.Name == "ConvLayers" ? p with { Domain = new IntRange(1, 3) } : p),
            new Parameter("Dropout", "double", new RealRange(0, 0.5), 0.2)]);
        using var mine = StoreIn(Folder("mine"));
        var study = StudyEngine.Open(mine, "s", "mine", space, Accuracy);

        study.TakeOver(earlier).ShouldBe($"took over 2 of 3 finished trial(s) of study 's' in {earlier} that fit this space");
        var trials = study.Trials();
        trials.Select(t => (t.Number, (long)t.Values["ConvLayers"], (double)t.Values["Dropout"], t.Value)).ShouldBe([(1, 1L, 0.2, 0.91), (2, 2L, 0.2, 0.92)]);
        trials.ShouldAllBe(t => t.State == TrialState.Completed && t.Epochs == 2 && t.Metrics.Count == 2);
        study.Propose()!.Number.ShouldBe(3); // the search goes on after them

        study.TakeOver(earlier).ShouldStartWith("--from-study: study 's' already has 3 trial(s)"); // a rerun takes nothing twice
        study.Trials().Count.ShouldBe(3);
    }

    [Fact]
    public void A_study_that_measured_its_metric_the_other_way_round_is_refused_with_one_line()
    {
        var earlier = Folder("loss");
        using (var store = StoreIn(earlier)) StudyEngine.Open(store, "s", "loss", SyntheticStudy.Space, new TuneSettings(Target.Parse("accuracy<=0.1")));
        using var mine = StoreIn(Folder("mine"));
        var study = StudyEngine.Open(mine, "s", "mine", SyntheticStudy.Space, Accuracy);

        var refused = Should.Throw<AutotuneException>(() => study.TakeOver(earlier));
        refused.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        refused.Message.ShouldContain("tuned for accuracy<=0.1 (minimizing accuracy), this one for accuracy>=0.99 (maximizing accuracy): a warm start needs trials measured the same way");
        refused.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void A_folder_without_a_study_this_models_own_folder_and_an_ambiguous_store_are_refused()
    {
        var mineFolder = Folder("mine");
        using var mine = StoreIn(mineFolder);
        var study = StudyEngine.Open(mine, "s", "mine", SyntheticStudy.Space, Accuracy);

        Should.Throw<AutotuneException>(() => study.TakeOver(Folder("never-tuned"))).Message.ShouldContain("no study store at");
        Should.Throw<AutotuneException>(() => study.TakeOver(mineFolder)).Message.ShouldContain("is this model's own folder");

        var two = Folder("two");
        using (var store = StoreIn(two))
        {
            StudyEngine.Open(store, "a", "two", SyntheticStudy.Space, Accuracy);
            StudyEngine.Open(store, "b", "two", SyntheticStudy.Space, Accuracy);
        }
        Should.Throw<AutotuneException>(() => study.TakeOver(two)).Message.ShouldContain("holds the studies a, b and none is named 's'");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}

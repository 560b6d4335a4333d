using Autotune.Cli;
using Autotune.Search;
using Autotune.Study;
using Autotune.Tests.Report;
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
    public void A_study_made_for_another_domain_is_refused()
    {
        using var store = StudyStore.Open(Path.Combine(folder, "study.db"));
        StudyEngine.Open(store, "s", "m", SyntheticStudy.Space, Settings);
        var wider = new SearchSpace(SyntheticStudy.Space.Parameters.Select(p => p.Name == "ConvLayers" ? p with { Domain = new IntRange(1, 5) } : p).ToList());

        Should.Throw<AutotuneException>(() => StudyEngine.Open(store, "s", "m", wider, Settings)).Message.ShouldContain("another search space");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

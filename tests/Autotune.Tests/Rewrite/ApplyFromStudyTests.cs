using Autotune.Cli;
using Autotune.Detect;
using Autotune.Search;
using Autotune.Study;
using Microsoft.Data.Sqlite;

namespace Autotune.Tests.Rewrite;

/// <summary>`apply --best` and `apply --trial N` take their values from the model's study store.</summary>
public sealed class ApplyFromStudyTests : IDisposable
{
    private readonly string model = Directory.CreateTempSubdirectory("autotune-apply-").FullName;

    public ApplyFromStudyTests()
    {
        File.WriteAllText(Path.Combine(model, "M.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        File.WriteAllText(Path.Combine(model, "Hyper.cs"), """
            using Autotune;

            [Hyperparameters]
            public static class Hyper
            {
                [Range(1, 8)] public const int Layers = 2;
                [LogRange(1e-4, 1e-1)] public const double Rate = 0.001;
            }

            public static class Use { public static int L => Hyper.Layers; public static double R => Hyper.Rate; }
            """);
        var space = ModelDetector.Detect(model).Block.ShouldNotBeNull().SearchSpace;
        using var store = StudyStore.Open(Path.Combine(model, ".autotune", "study.db"));
        var study = store.CreateStudy("M", model, space, "accuracy>=0.99", "tpe", 0, "{}");
        foreach (var (layers, rate, accuracy) in new[] { (2L, 0.001, 0.95), (5L, 0.003, 0.98), (7L, 0.02, 0.97) })
        {
            var t = store.AddTrial(study, new Assignment(new Dictionary<string, object> { ["Layers"] = layers, ["Rate"] = rate }));
            store.Finish(study, t.Number, TrialState.Completed, accuracy, 0, null);
        }
    }

    [Fact]
    public async Task Apply_best_writes_the_values_of_the_best_completed_trial()
    {
        (await CommandLine.RunAsync(["apply", model, "--best"], TextWriter.Null, TextWriter.Null)).ShouldBe(0);
        var current = Current();
        current["Layers"].ShouldBe(5L);
        current["Rate"].ShouldBe(0.003);
    }

    [Fact]
    public async Task Apply_trial_writes_that_trials_values()
    {
        (await CommandLine.RunAsync(["apply", model, "--trial", "3"], TextWriter.Null, TextWriter.Null)).ShouldBe(0);
        Current()["Layers"].ShouldBe(7L);
    }

    [Fact]
    public async Task Apply_of_a_trial_the_study_does_not_have_is_invalid_input_in_one_line()
    {
        var error = new StringWriter();
        (await CommandLine.RunAsync(["apply", model, "--trial", "9"], TextWriter.Null, error)).ShouldBe(ExitCodes.InvalidInput);
        error.ToString().ShouldContain("has no trial 9");
    }

    [Fact]
    public async Task Apply_with_both_values_and_best_is_refused()
    {
        (await CommandLine.RunAsync(["apply", model, "--best", "--values", "Layers=3"], TextWriter.Null, TextWriter.Null)).ShouldBe(ExitCodes.InvalidInput);
    }

    /// <summary>The values the code has now, read back through detect.</summary>
    private Assignment Current() => ModelDetector.Detect(model).Block.ShouldNotBeNull().SearchSpace.Current();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(model, recursive: true);
    }
}

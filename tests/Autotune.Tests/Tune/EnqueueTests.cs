using System.Text.Json;
using Autotune.Tests.Support;

namespace Autotune.Tests.Tune;

/// <summary>`autotune enqueue`: configurations a user knows, tried before the strategy's own (a warm start).</summary>
[Collection(ToyTunerCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EnqueueTests
{
    private static Task<Tool.Result> Enqueue(string study, string values) =>
        Tool.RunAsync(["enqueue", ToyTuner.Folder, "--values", values, "--target", ToyTuner.Target, "--study", study]);

    private static async Task<List<(int Number, string State, Dictionary<string, string> Values)>> Trials(string study)
    {
        var r = await Tool.RunAsync(["trials", ToyTuner.Folder, "--study", study, "--json"]);
        r.ExitCode.ShouldBe(0, r.All);
        using var doc = JsonDocument.Parse(r.Output);
        return doc.RootElement.GetProperty("trials").EnumerateArray().Select(t => (t.GetProperty("number").GetInt32(), t.GetProperty("state").GetString()!,
            t.GetProperty("values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString()))).ToList();
    }

    [Fact]
    public async Task An_enqueued_configuration_is_the_first_trial_run_trains_and_the_code_fills_what_it_leaves_out()
    {
        var study = ToyTuner.NewStudy("enqueue");

        var queued = await Enqueue(study, "LearningRate=0.003,Width=32");
        queued.ExitCode.ShouldBe(0, queued.All);
        queued.Output.ShouldContain("queued trial 1: ");

        var run = await Tool.RunAsync(["run", ToyTuner.Folder, "--target", ToyTuner.Target, "--max-trials", "2", "--seed", "1",
            "--study", study, "--no-apply", "--no-asha"], timeout: TimeSpan.FromMinutes(6));
        run.ExitCode.ShouldBeOneOf([0, 3], run.All);
        var first = (await Trials(study))[0];
        first.Number.ShouldBe(1);
        first.State.ShouldBe("completed");
        first.Values["LearningRate"].ShouldBe("0.003");
        first.Values["Width"].ShouldBe("32");
        first.Values["Epochs"].ShouldBe("3"); // left out: the code's own value
    }

    [Fact]
    public async Task Values_the_study_already_holds_are_not_queued_twice_and_values_outside_the_space_are_refused_in_one_line()
    {
        var study = ToyTuner.NewStudy("enqueue-twice");
        (await Enqueue(study, "Width=64")).ExitCode.ShouldBe(0);

        var again = await Enqueue(study, "Width=64,LearningRate=0.01");
        again.ExitCode.ShouldBe(0, again.All);
        again.Output.ShouldContain("already holds these values as trial 1 (queued): nothing queued");

        var outside = await Enqueue(study, "LearningRate=5");
        outside.ExitCode.ShouldBe(2, outside.All);
        outside.Error.Trim().Split('\n').Length.ShouldBe(1);
        outside.Error.ShouldContain("LearningRate=5 is outside its space LearningRate 0.0001..0.1 (log)");

        var unknown = await Enqueue(study, "Depth=3");
        unknown.ExitCode.ShouldBe(2, unknown.All);
        unknown.Error.ShouldContain("'Depth' is not a parameter");
        (await Trials(study)).Count.ShouldBe(1);
    }
}

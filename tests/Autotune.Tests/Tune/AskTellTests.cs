using System.Text.Json;
using Autotune.Tests.Support;

namespace Autotune.Tests.Tune;

/// <summary>`autotune ask` / `train --values` / `tell`: the tune engine one step at a time, on the toy tuner.</summary>
[Collection(ToyTunerCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AskTellTests
{
    private static string[] Ask(string study, int count, int maxTrials = 20, string target = ToyTuner.Target) =>
        ["ask", ToyTuner.Folder, "--target", target, "--count", count.ToString(), "--max-trials", maxTrials.ToString(),
         "--max-epochs", "3", "--seed", "4", "--study", study, "--json"];

    private sealed record Asked(string Status, int Outstanding, List<(int Number, string Values, int Seed, int? Epochs)> Trials);

    private static async Task<Asked> AskAsync(string[] args, int expectedExit = 0)
    {
        var r = await Tool.RunAsync(args);
        r.ExitCode.ShouldBe(expectedExit, r.All);
        using var doc = JsonDocument.Parse(r.Output);
        var root = doc.RootElement;
        root.GetProperty("schema").GetString().ShouldBe("autotune.ask/1");
        return new Asked(root.GetProperty("status").GetString()!, root.GetProperty("outstanding").GetInt32(),
            root.GetProperty("trials").EnumerateArray().Select(t => (t.GetProperty("number").GetInt32(), t.GetProperty("values").GetString()!,
                t.GetProperty("seed").GetInt32(), t.GetProperty("epochs").ValueKind == JsonValueKind.Number ? t.GetProperty("epochs").GetInt32() : (int?)null)).ToList());
    }

    private static async Task<string> TrainElsewhereAsync((int Number, string Values, int Seed, int? Epochs) trial)
    {
        var dir = Path.Combine(Path.GetTempPath(), "autotune-agent-" + Guid.NewGuid().ToString("N")[..8]);
        var r = await Tool.RunAsync(["train", ToyTuner.Folder, "--values", trial.Values, "--trial-dir", dir,
            "--trial-number", trial.Number.ToString(), "--seed", trial.Seed.ToString(), "--epochs", trial.Epochs!.Value.ToString()]);
        r.ExitCode.ShouldBe(0, r.All);
        return dir;
    }

    private static Task<Tool.Result> Tell(string study, int number, string dir) =>
        Tool.RunAsync(["tell", ToyTuner.Folder, "--study", study, "--trial", number.ToString(), "--from", dir]);

    private static async Task<List<(int Number, string State, double? Value, int Epochs)>> Trials(string study)
    {
        var r = await Tool.RunAsync(["trials", ToyTuner.Folder, "--study", study, "--json"]);
        r.ExitCode.ShouldBe(0, r.All);
        using var doc = JsonDocument.Parse(r.Output);
        return doc.RootElement.GetProperty("trials").EnumerateArray().Select(t => (t.GetProperty("number").GetInt32(), t.GetProperty("state").GetString()!,
            t.GetProperty("value").ValueKind == JsonValueKind.Number ? t.GetProperty("value").GetDouble() : (double?)null, t.GetProperty("epochs").GetInt32())).ToList();
    }

    [Fact]
    public async Task Ask_queues_distinct_trials_that_train_runs_elsewhere_and_tell_records_once()
    {
        var study = ToyTuner.NewStudy("ask");
        var hyper = await File.ReadAllBytesAsync(Path.Combine(ToyTuner.Folder, "Hyper.cs"));

        var asked = await AskAsync(Ask(study, 3));
        asked.Status.ShouldBe("proposed");
        asked.Trials.Select(t => t.Number).ShouldBe([1, 2, 3]);
        asked.Trials.Select(t => t.Values).Distinct().Count().ShouldBe(3);
        asked.Trials[0].Values.Split(',').Order().ShouldBe(["Epochs=3", "LearningRate=0.01", "Width=8"]); // the baseline first: the code's own values
        (await Trials(study)).ShouldAllBe(t => t.State == "queued");

        // A second controller's ask sees the three queued trials and proposes around them.
        var more = await AskAsync(Ask(study, 1));
        more.Trials.Single().Number.ShouldBe(4);
        more.Outstanding.ShouldBe(3);
        asked.Trials.Select(t => t.Values).ShouldNotContain(more.Trials[0].Values);

        var dir = await TrainElsewhereAsync(asked.Trials[1]);
        var told = await Tell(study, 2, dir);
        told.ExitCode.ShouldBe(0, told.All);
        told.Output.ShouldContain("trial 2: completed");
        var again = await Tell(study, 2, dir);
        again.ExitCode.ShouldBe(0, again.All);
        again.Output.ShouldContain("already recorded");

        var trials = await Trials(study);
        trials.Single(t => t.Number == 2).ShouldSatisfyAllConditions(
            t => t.State.ShouldBe("completed"), t => t.Epochs.ShouldBe(3), t => t.Value.ShouldNotBeNull());
        trials.Where(t => t.Number != 2).ShouldAllBe(t => t.State == "queued");
        (await File.ReadAllBytesAsync(Path.Combine(ToyTuner.Folder, "Hyper.cs"))).ShouldBe(hyper);
    }

    [Fact]
    public async Task Ask_json_names_the_studys_constraints_and_objectives_so_a_controller_can_pass_the_same_ones_again()
    {
        var study = "constraints-" + Guid.NewGuid().ToString("N")[..8];
        var r = await Tool.RunAsync([.. Ask(study, 1), "--constraint", "params<=200000", "--minimize", "params,latency_ms"]);
        r.ExitCode.ShouldBe(0, r.All);
        using (var doc = JsonDocument.Parse(r.Output))
        {
            doc.RootElement.GetProperty("constraints").EnumerateArray().Select(c => c.GetString()).ShouldBe(["params<=200000"]);
            doc.RootElement.GetProperty("minimize").EnumerateArray().Select(c => c.GetString()).ShouldBe(["params", "latency_ms"]);
        }
        // Another order picks another best: refused as another set of constraints is.
        var reordered = await Tool.RunAsync([.. Ask(study, 1), "--constraint", "params<=200000", "--minimize", "latency_ms", "--minimize", "params"]);
        reordered.ExitCode.ShouldBe(2, reordered.All);
        reordered.Error.ShouldContain("was made to minimize params, latency_ms, not latency_ms, params");

        var none = await Tool.RunAsync(Ask(study + "-none", 1));
        using (var doc = JsonDocument.Parse(none.Output))
            doc.RootElement.GetProperty("constraints").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Telling_an_unknown_trial_or_a_folder_without_a_result_exits_2()
    {
        var study = ToyTuner.NewStudy("tell-bad");
        await AskAsync(Ask(study, 1));
        var empty = Directory.CreateTempSubdirectory("autotune-empty-").FullName;

        var unknown = await Tell(study, 9, empty);
        var unfinished = await Tell(study, 1, empty);

        unknown.ExitCode.ShouldBe(2, unknown.All);
        unfinished.ExitCode.ShouldBe(2, unfinished.All);
        unfinished.Error.ShouldContain("result.json");
        (await Trials(study)).Single().State.ShouldBe("queued");
    }

    [Fact]
    public async Task Ask_exits_3_when_the_budget_is_spent_and_0_with_no_trials_once_the_target_is_reached()
    {
        var spent = ToyTuner.NewStudy("spent");
        var one = await AskAsync(Ask(spent, 2, maxTrials: 1, target: "score>=2"));
        one.Trials.Count.ShouldBe(1); // the budget caps the count
        (await AskAsync(Ask(spent, 1, maxTrials: 1, target: "score>=2"))).Status.ShouldBe("waiting");
        var dir = await TrainElsewhereAsync(one.Trials[0]);
        (await Tell(spent, 1, dir)).ExitCode.ShouldBe(0);
        (await AskAsync(Ask(spent, 1, maxTrials: 1, target: "score>=2"), expectedExit: 3)).Status.ShouldBe("budget-spent");

        var reached = ToyTuner.NewStudy("reached");
        var baseline = await AskAsync(Ask(reached, 1, target: "score>=0.5"));
        (await Tell(reached, 1, await TrainElsewhereAsync(baseline.Trials[0]))).ExitCode.ShouldBe(0);
        var done = await AskAsync(Ask(reached, 1, target: "score>=0.5"));
        done.Status.ShouldBe("target-reached");
        done.Trials.ShouldBeEmpty();
    }
}

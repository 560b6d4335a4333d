using System.Text.Json;
using System.Text.Json.Nodes;
using Autotune.Tests.BadInput;
using Autotune.Tests.Support;

namespace Autotune.Tests.Tune;

/// <summary>A toy study with three trials asked for, and trial 2 trained for real by `train` into its own folder, as an agent would.</summary>
public sealed class AskedToy : IAsyncLifetime
{
    public ToyModel Model { get; } = new();
    public IReadOnlyList<(int Number, string Values)> Trials { get; private set; } = [];
    public string Trial2 { get; } = Path.Combine(Directory.CreateTempSubdirectory("autotune-agent-").FullName, "trial-2");

    public async ValueTask InitializeAsync()
    {
        var ask = await Tool.RunAsync(["ask", Model.Folder, "--target", "loss<0.0001", "--count", "3", "--max-epochs", "2", "--seed", "4", "--json"]);
        ask.ExitCode.ShouldBe(0, ask.All);
        using (var doc = JsonDocument.Parse(ask.Output))
            Trials = doc.RootElement.GetProperty("trials").EnumerateArray()
                .Select(t => (t.GetProperty("number").GetInt32(), t.GetProperty("values").GetString()!)).ToList();
        var train = await Tool.RunAsync(["train", Model.Folder, "--values", Values(2), "--trial-dir", Trial2, "--trial-number", "2", "--seed", "4", "--epochs", "2"],
            timeout: TimeSpan.FromMinutes(4));
        train.ExitCode.ShouldBe(0, train.All);
    }

    public string Values(int number) => Trials.Single(t => t.Number == number).Values;

    public ValueTask DisposeAsync()
    {
        Model.Dispose();
        Directory.Delete(Path.GetDirectoryName(Trial2)!, recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>`tell` records a folder only as the trial it is: the study's, that number's, trained with that trial's values, with sane numbers.</summary>
[Trait("Category", "Integration")]
public sealed class TellIdentityTests(AskedToy toy) : IClassFixture<AskedToy>, IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("autotune-tell-").FullName;

    private Task<Tool.Result> Tell(int number, string folder) =>
        Tool.RunAsync(["tell", toy.Model.Folder, "--trial", number.ToString(), "--from", folder]);

    /// <summary>A copy of trial 2's real folder, with <paramref name="spoil"/> applied: a forged or damaged trial folder.</summary>
    private string ForgedCopy(Action<string> spoil)
    {
        var copy = Path.Combine(scratch, Guid.NewGuid().ToString("N")[..8]);
        foreach (var file in Directory.EnumerateFiles(toy.Trial2, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(toy.Trial2, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        spoil(copy);
        return copy;
    }

    private static Action<string> Json(string file, Action<JsonObject> change) => folder =>
    {
        var path = Path.Combine(folder, file);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        change(json);
        File.WriteAllText(path, json.ToJsonString());
    };

    private async Task<string> StateOf(int number)
    {
        var r = await Tool.RunAsync(["trials", toy.Model.Folder, "--json"]);
        using var doc = JsonDocument.Parse(r.Output);
        return doc.RootElement.GetProperty("trials").EnumerateArray().Single(t => t.GetProperty("number").GetInt32() == number).GetProperty("state").GetString()!;
    }

    [Fact]
    public async Task The_folder_train_wrote_for_a_trial_says_whose_it_is_and_is_recorded_as_that_trial()
    {
        var identity = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(toy.Trial2, "trial.json")))!;
        identity["schema"]!.GetValue<string>().ShouldBe("autotune.trial/1");
        identity["project"]!.GetValue<string>().ShouldBe("Toy");
        identity["trial"]!.GetValue<int>().ShouldBe(2);
        identity["values"]!.GetValue<string>().Split(',').Order().ShouldBe(toy.Values(2).Split(',').Order());

        var told = await Tell(2, toy.Trial2);

        told.ExitCode.ShouldBe(0, told.All);
        told.Output.ShouldContain("trial 2: completed");
    }

    [Fact]
    public async Task A_trial_folder_of_another_study_is_refused_in_one_line()
    {
        var r = await Tell(2, ForgedCopy(Json("trial.json", j => j["study"] = "Other")));

        BadInputCorpusTests.Assert(r, 2, "not of study 'Toy'");
        r.Error.ShouldContain("tell it with --study Other");
    }

    [Fact]
    public async Task A_trial_folder_told_as_another_trial_is_refused()
    {
        var r = await Tell(3, toy.Trial2);

        BadInputCorpusTests.Assert(r, 2, "is the folder of trial 2, not of trial 3");
        (await StateOf(3)).ShouldBe("queued");
    }

    [Fact]
    public async Task A_folder_that_trained_other_values_than_its_trial_has_is_refused()
    {
        var r = await Tell(3, ForgedCopy(Json("trial.json", j => j["trial"] = 3)));

        BadInputCorpusTests.Assert(r, 2, "but trial 3 of study 'Toy' is");
        (await StateOf(3)).ShouldBe("queued");
    }

    [Fact]
    public async Task A_folder_that_does_not_say_which_trial_it_is_is_refused()
    {
        var r = await Tell(2, ForgedCopy(folder => File.Delete(Path.Combine(folder, "trial.json"))));

        BadInputCorpusTests.Assert(r, 2, "has no trial.json");
    }

    public static TheoryData<string> Impossible => new(Spoils.Keys);

    private static readonly Dictionary<string, (Action<string> Spoil, string Says)> Spoils = new()
    {
        ["restarts -1"] = (Json("result.json", j => j["restarts"] = -1), "result.json: restarts -1 is not a count"),
        ["epochs -5 in result.json"] = (Json("result.json", j => j["epochs"] = -5), "result.json: epochs -5 is not a count"),
        ["restarts 1.5"] = (Json("result.json", j => j["restarts"] = 1.5), "restarts 1.5 is not a count"),
        ["epoch -5 in metrics.jsonl"] = (f => File.AppendAllText(Path.Combine(f, "metrics.jsonl"), "{\"epoch\":-5,\"metrics\":{\"loss\":0.1}}\n"),
            "metrics.jsonl:3: epoch -5 is not an epoch"),
        ["a loss of 1e308"] = (f => File.AppendAllText(Path.Combine(f, "metrics.jsonl"), "{\"epoch\":3,\"metrics\":{\"loss\":1e308}}\n"),
            "metrics.jsonl:3: loss is 1E+308, not a metric a completed trial reports"),
        ["a loss of -1e308"] = (f => File.AppendAllText(Path.Combine(f, "metrics.jsonl"), "{\"epoch\":3,\"metrics\":{\"loss\":-1e308}}\n"),
            "loss is -1E+308"),
        ["a loss of 1e309, infinity"] = (f => File.AppendAllText(Path.Combine(f, "metrics.jsonl"), "{\"epoch\":3,\"metrics\":{\"loss\":1e309}}\n"),
            "loss is Infinity"),
        ["a NaN loss in a completed trial"] = (f => File.AppendAllText(Path.Combine(f, "metrics.jsonl"), "{\"epoch\":3,\"metrics\":{\"loss\":\"NaN\"}}\n"),
            "loss is NaN"),
    };

    [Theory]
    [MemberData(nameof(Impossible))]
    public async Task Impossible_counts_and_metrics_in_a_trial_folder_are_refused_naming_the_file(string name)
    {
        var (spoil, says) = Spoils[name];

        var r = await Tell(2, ForgedCopy(spoil));

        BadInputCorpusTests.Assert(r, 2, says);
    }

    [Fact]
    public async Task A_trial_that_failed_with_a_NaN_metric_is_recorded_as_failed_without_it()
    {
        // Trial 1's folder as a program that diverged leaves it: its NaN is why it failed.
        var diverged = ForgedCopy(folder =>
        {
            Json("trial.json", j => { j["trial"] = 1; j["values"] = toy.Values(1); })(folder);
            Json("result.json", j => j["state"] = "failed")(folder);
            File.AppendAllText(Path.Combine(folder, "metrics.jsonl"), "{\"epoch\":3,\"metrics\":{\"loss\":\"NaN\"}}\n");
        });

        var r = await Tell(1, diverged);

        r.ExitCode.ShouldBe(0, r.All);
        r.Output.ShouldContain("trial 1: failed");
        (await StateOf(1)).ShouldBe("failed");
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}

using System.Text.Json;
using Autotune.Cli;
using Autotune.Search;
using Autotune.Tests.Detect;
using Autotune.Tests.Rewrite;
using Autotune.Train;
using Autotune.Tune;

namespace Autotune.Tests.Tune;

public sealed class SpaceOverridesTests
{
    private static readonly SearchSpace Space = new([
        new Parameter("LearningRate", "double", new RealRange(1e-5, 0.1, Log: true), 1e-3),
        new Parameter("Filters", "int", new Choice([16L, 32L, 64L]), 32L),
        new Parameter("Epochs", "int", new IntRange(1, 20), 5L),
        new Parameter("Pooling", "string", new Choice(["max", "avg"]), "max"),
    ]);

    private static SearchSpace Apply(string json) =>
        SpaceOverrides.Apply(Space, JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!, "m/autotune.json");

    private static string Refused(string json)
    {
        var e = Should.Throw<AutotuneException>(() => Apply(json));
        e.ExitCode.ShouldBe(2);
        e.Message.ShouldNotContain("\n");
        return e.Message;
    }

    [Fact]
    public void A_two_element_list_is_a_range_that_keeps_the_log_scale_and_a_list_replaces_a_choice()
    {
        var space = Apply("""{ "LearningRate": [1e-4, 1], "Filters": [8, 16, 32], "Epochs": [2, 50] }""");

        space["LearningRate"].Domain.ShouldBe(new RealRange(1e-4, 1, Log: true));
        space["Filters"].Domain.ShouldBe(new Choice([8L, 16L, 32L]));
        space["Epochs"].Domain.ShouldBe(new IntRange(2, 50));
        space["Pooling"].ShouldBe(Space["Pooling"]);
    }

    [Fact]
    public void More_than_two_numbers_for_a_range_parameter_are_a_choice_and_strings_pick_among_strings()
    {
        var space = Apply("""{ "Epochs": [5, 10, 20], "Pooling": ["avg"], "Filters": [16, 64] }""");

        space["Epochs"].Domain.ShouldBe(new Choice([5L, 10L, 20L]));
        space["Pooling"].Domain.ShouldBe(new Choice(["avg"]));
        space["Filters"].Domain.ShouldBe(new Choice([16L, 64L])); // a choice stays a choice, even of two
    }

    [Theory]
    [InlineData("""{ "LearningRate": [1, 1e-4] }""", "m/autotune.json: space.LearningRate: min 1 is above max 1e-4; write [min, max]")]
    [InlineData("""{ "Epochs": [] }""", "m/autotune.json: space.Epochs: the list is empty")]
    [InlineData("""{ "Epochs": [1, 0.5] }""", "m/autotune.json: space.Epochs: 0.5 is not a whole number")]
    [InlineData("""{ "Epochs": ["a", "b"] }""", "m/autotune.json: space.Epochs: \"a\" is not a whole number")]
    [InlineData("""{ "Epochs": 5 }""", "m/autotune.json: space.Epochs: 5 is not a list")]
    [InlineData("""{ "Lr": [1e-4, 1] }""", "m/autotune.json: space.Lr: no parameter is named 'Lr' (parameters: LearningRate, Filters, Epochs, Pooling)")]
    [InlineData("""{ "LearningRate": [0, 1] }""", "m/autotune.json: space.LearningRate: min 0 of a log range must be above 0")]
    [InlineData("""{ "Filters": [16, 16] }""", "m/autotune.json: space.Filters: 16 is listed twice")]
    [InlineData("""{ "Pooling": [1, 2] }""", "m/autotune.json: space.Pooling: 1 is not text")]
    public void Bad_overrides_are_refused_in_one_line_naming_the_file_the_key_and_what_to_do(string json, string expected)
    {
        Refused(json).ShouldStartWith(expected);
    }

    [Fact]
    public void Autotune_json_reads_space_as_an_object_of_lists_and_names_it_among_its_keys()
    {
        using var temp = new Fixtures.TempFolder();
        temp.Write("autotune.json", """{ "space": { "LearningRate": [1e-4, 1], "Filters": [8, 16, 32] } }""");

        var file = SettingsFile.Load(temp.Path);

        Apply(JsonSerializer.Serialize(file.Space))["Filters"].Domain.ShouldBe(new Choice([8L, 16L, 32L]));
        temp.Write("autotune.json", """{ "spaces": {} }""");
        Should.Throw<AutotuneException>(() => SettingsFile.Load(temp.Path)).Message.ShouldContain("space: {Name: [min, max] or [values]}");
    }

    [Fact]
    public void An_override_that_leaves_out_the_code_value_is_allowed_and_the_space_is_not_exhausted_by_the_baseline()
    {
        var space = Apply("""{ "Epochs": [10, 12], "Filters": [64], "LearningRate": [0.01, 0.1], "Pooling": ["avg"] }""");
        var baseline = new SearchTrial(0, space.Current(), SearchTrialState.Completed, 0.5, [], Direction.Maximize);

        space["Epochs"].Domain.Contains(space["Epochs"].Current).ShouldBeFalse();
        Domains.IsExhausted(space, [baseline]).ShouldBeFalse();
        Domains.Sample(space, new Random(1)).Values["Epochs"].ShouldBeOneOf(10L, 11L, 12L);
    }
}

/// <summary>autotune.json's "space" reaching the model that run, ask, train and apply resolve.</summary>
public sealed class SpaceOverridesOnModelTests : IDisposable
{
    private readonly Fixtures.TempFolder temp = new();
    private readonly Fixtures.TempFolder state = new();

    public void Dispose()
    {
        temp.Dispose();
        state.Dispose();
    }

    [Fact]
    public void A_lifted_parameter_is_widened_by_autotune_json_and_a_trial_outside_the_default_range_is_written()
    {
        var model = temp.CopyFrom(InitFixtures.Model("torch-mlp-plain"));
        temp.Write("Mlp.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>");
        File.WriteAllText(Path.Combine(model, "autotune.json"), """{ "space": { "LearningRate": [0.02, 2], "Epochs": [1, 100] } }""");

        var tunable = TunableModel.Resolve(model);

        tunable.Space["LearningRate"].Domain.ShouldBe(new RealRange(0.02, 2, Log: true)); // the code's 0.01 lies outside: it stays the baseline only
        tunable.Space["Epochs"].Domain.ShouldBe(new IntRange(1, 100));
        tunable.DescribeLifted().ShouldContain("log real 0.02..2");
        var workspace = TrialWorkspace.Prepare(ModelProject.Open(model), Path.Combine(state.Path, "workspace"));
        tunable.WriteInto(workspace, new Assignment(new Dictionary<string, object>(tunable.Space.Current().Values) { ["LearningRate"] = 1.5, ["Epochs"] = 80L }));
        var block = File.ReadAllText(Path.Combine(workspace.Copy.Folder, tunable.Lifted!.BlockFile));
        block.ShouldContain("[LogRange(0.01, 2.0)]", customMessage: block); // widened to hold the code's own value, so detect reads it
        block.ShouldContain("LearningRate = 1.5");
        block.ShouldContain("Epochs");
    }

    [Fact]
    public void A_block_parameter_is_narrowed_by_autotune_json_and_an_override_reaching_outside_its_attribute_is_refused()
    {
        var model = temp.CopyFrom(Fixtures.Model("torch-mlp-loop"));
        var block = Autotune.Detect.ModelDetector.Detect(model).Block!;
        var p = block.Parameters.First(x => x.Domain is IntRange);
        var r = (IntRange)p.Domain;
        var json = Path.Combine(model, "autotune.json");

        File.WriteAllText(json, $$"""{ "space": { "{{p.Name}}": [{{r.Min}}, {{r.Min + 1}}, {{r.Max}}] } }""");
        TunableModel.Resolve(model).Space[p.Name].Domain.ShouldBe(new Choice([r.Min, r.Min + 1, r.Max]));

        File.WriteAllText(json, $$"""{ "space": { "{{p.Name}}": [{{r.Min}}, {{r.Max + 10}}] } }""");
        var e = Should.Throw<AutotuneException>(() => TunableModel.Resolve(model));
        e.ExitCode.ShouldBe(2);
        e.Message.ShouldContain($"autotune.json: space.{p.Name}:");
        e.Message.ShouldContain("widen the attribute in the block");
    }
}

using System.Text.Json;
using Autotune.Search;

namespace Autotune.Tests.Detect;

/// <summary>[When] on a block field: read into the parameter's condition, shown by detect, and refused in one line when it cannot hold.</summary>
public sealed class ConditionTests
{
    private const string Uses = "var x = new object[] { B.Optimizer, B.Momentum, B.Layers, B.Width3 };\n";

    private static string Block(string extra = "", string momentum = "[Autotune.When(nameof(Optimizer), \"sgd\")]") =>
        Uses + "[Autotune.Hyperparameters]\npublic static class B\n{\n"
        + "    [Autotune.Choice(\"adam\", \"sgd\", \"rmsprop\")] public const string Optimizer = \"adam\";\n"
        + $"    [Autotune.Range(0.0, 0.99)] {momentum} public const double Momentum = 0.0;\n"
        + "    [Autotune.Range(1, 4)] public const int Layers = 2;\n"
        + "    [Autotune.Choice(16, 32)] [Autotune.When(nameof(Layers), AtLeast = 3)] public const int Width3 = 16;\n"
        + extra + "}\n";

    private static async Task<(int Code, string Out, string[] Errors)> Detect(Fixtures.TempFolder temp, params string[] flags)
    {
        var (code, output, err) = await Fixtures.Run(["detect", temp.Path, .. flags]);
        err.ShouldNotContain("   at ");
        return (code, output, err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.Contains("warning:")).ToArray());
    }

    [Fact]
    public async Task Detect_reads_a_value_condition_and_an_at_least_condition_and_shows_them()
    {
        using var temp = new Fixtures.TempFolder();
        temp.Write("Hyper.cs", Block());

        var (code, output, _) = await Detect(temp);

        code.ShouldBe(0);
        output.ShouldContain("when Optimizer = \"sgd\"");
        output.ShouldContain("when Layers >= 3");
        var block = Autotune.Detect.ModelDetector.Detect(temp.Path).Block!;
        block.SearchSpace["Momentum"].When.ShouldBe(new Condition("Optimizer", ["sgd"]));
        block.SearchSpace["Width3"].When.ShouldBe(new Condition("Layers", [], AtLeast: 3));
        block.SearchSpace["Optimizer"].When.ShouldBeNull();
    }

    [Fact]
    public async Task Detect_json_carries_each_condition_and_null_where_there_is_none()
    {
        using var temp = new Fixtures.TempFolder();
        temp.Write("Hyper.cs", Block(momentum: "[Autotune.When(\"Optimizer\", \"sgd\", \"rmsprop\")]"));

        var (code, output, _) = await Detect(temp, "--json");

        code.ShouldBe(0);
        var parameters = JsonDocument.Parse(output).RootElement.GetProperty("block").GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        parameters["Optimizer"].GetProperty("when").ValueKind.ShouldBe(JsonValueKind.Null);
        Compact(parameters["Momentum"].GetProperty("when")).ShouldBe("""{"parameter":"Optimizer","values":["sgd","rmsprop"]}""");
        Compact(parameters["Width3"].GetProperty("when")).ShouldBe("""{"parameter":"Layers","atLeast":3}""");
    }

    private static string Compact(JsonElement e) => JsonSerializer.Serialize(e);

    public static TheoryData<string, string, string> BadConditions => new()
    {
        { "[Autotune.When(nameof(Optimiser), \"sgd\")]", "", "parameter 'Momentum': [Autotune.When(nameof(Optimiser), \"sgd\")] names 'Optimiser', which is not a parameter of B: name one of" },
        { "[Autotune.When(nameof(Optimizer), \"sgdd\")]", "", "value \"sgdd\" is outside the space of 'Optimizer' ([Autotune.Choice(\"adam\", \"sgd\", \"rmsprop\")]): use values it can take" },
        { "[Autotune.When(nameof(Layers), AtLeast = 9)]", "", "AtLeast 9 is outside the space of 'Layers' ([Autotune.Range(1, 4)]): pick a value from 1 to 4" },
        { "[Autotune.When(nameof(Optimizer), AtLeast = 2)]", "", "has AtLeast, which needs a number, and 'Optimizer' is string" },
        { "[Autotune.When(nameof(Optimizer))]", "", "lists no values of 'Optimizer'" },
        { "[Autotune.When(nameof(Momentum), AtLeast = 0.5)]", "", "parameter 'Momentum': its [When] conditions form a cycle (Momentum -> Momentum)" },
        { "[Autotune.When(nameof(Extra), 1)]", "    [Autotune.Choice(1, 2)] [Autotune.When(nameof(Momentum), AtLeast = 0.5)] public const int Extra = 1;\n",
          "parameter 'Momentum': its [When] conditions form a cycle (Momentum -> Extra -> Momentum): a parameter cannot depend on itself; remove one of these [When]" },
    };

    [Theory]
    [MemberData(nameof(BadConditions))]
    public async Task A_condition_that_cannot_hold_ends_detect_with_exit_2_and_one_line_naming_the_file(string momentum, string extra, string message)
    {
        using var temp = new Fixtures.TempFolder();
        temp.Write("Hyper.cs", Block(extra, momentum));

        var (code, _, errors) = await Detect(temp);

        code.ShouldBe(2);
        errors.ShouldHaveSingleItem().ShouldStartWith("autotune: Hyper.cs:");
        errors[0].ShouldContain(message);
    }
}

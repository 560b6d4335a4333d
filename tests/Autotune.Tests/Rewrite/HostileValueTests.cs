using Autotune.Cli;
using Autotune.Detect;
using Autotune.Rewrite;
using Autotune.Search;

namespace Autotune.Tests.Rewrite;

/// <summary>A string value can never change the code's structure: it ends up an escaped literal, or it is refused.</summary>
public sealed class HostileValueTests
{
    private static readonly string[] Hostile =
    [
        "\"; System.IO.File.Delete(\"x\"); \"",
        "line one\nline two\r\n}",
        "/* open comment",
        "// rest of line",
        "{{ 7 * 7 }} {{ for x in 1..3 }}{{ x }}{{ end }}",
        "admin\u202E\u2066 // \u2069\u2066",
        "tab\tnull\0sep\u2028end",
        "back\\slash\\\"",
    ];

    /// <summary>A block whose Choice declares every hostile value, so the domain allows them and only escaping protects the code.</summary>
    private static (string Source, HyperparameterBlock Block) Block()
    {
        var declared = string.Join(", ", Hostile.Select(h => CSharpLiteral.Render(h, ParameterType.FromSyntax("string").Type!, "S")).Prepend("\"safe\""));
        var source = $"using Autotune;\n\n[Hyperparameters]\npublic static class H\n{{\n    [Choice({declared})] public const string S = \"safe\";\n}}\n\nclass Use {{ string s = H.S; }}\n";
        var file = SourceFile.Parse("H.cs", "/nowhere/H.cs", source);
        var problems = new List<DetectProblem>();
        var block = HyperparameterBlockReader.Read([file], problems)!;
        problems.Where(p => p.IsError).ShouldBeEmpty();
        return (source, block);
    }

    public static TheoryData<int> Cases => new(Enumerable.Range(0, Hostile.Length));

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_hostile_string_in_the_declared_space_is_written_as_one_escaped_literal_that_reads_back_as_itself(int index)
    {
        var (source, block) = Block();
        var value = Hostile[index];

        var result = BlockRewriter.Render(source, block, new Assignment(new Dictionary<string, object> { ["S"] = value }));

        var file = SourceFile.Parse("H.cs", "/nowhere/H.cs", result);
        file.Tree.GetDiagnostics().ShouldBeEmpty();
        var reread = HyperparameterBlockReader.Read([file], []);
        reread!.Parameters.ShouldHaveSingleItem().Current.ShouldBe(value);
        var line = result.Split('\n').Single(l => l.Contains("public const string S"));
        line.ShouldNotContain("\u202E");
        line.ShouldNotContain("\u2028");
        line.ShouldNotContain("\0");
        result[result.IndexOf("class Use", StringComparison.Ordinal)..].ShouldBe(source[source.IndexOf("class Use", StringComparison.Ordinal)..]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_hostile_string_outside_the_declared_space_is_refused(int index)
    {
        var source = "[Autotune.Hyperparameters]\npublic static class H\n{\n    [Autotune.Choice(\"max\", \"avg\")] public const string S = \"max\";\n}\n";
        var block = HyperparameterBlockReader.Read([SourceFile.Parse("H.cs", "/nowhere/H.cs", source)], [])!;

        var e = Should.Throw<AutotuneException>(() => BlockRewriter.Render(source, block, new Assignment(new Dictionary<string, object> { ["S"] = Hostile[index] })));

        e.Message.ShouldContain("is outside its declared space");
        e.Message.ShouldNotContain("\n");
        e.Message.ShouldNotContain("\u202E");
    }

    [Fact]
    public void An_enum_value_that_is_not_an_identifier_is_refused()
    {
        var source = "enum P { Max, Avg }\n[Autotune.Hyperparameters]\npublic static class H\n{\n    [Autotune.Choice(P.Max, P.Avg)] public const P Pool = P.Max;\n}\n";
        var block = HyperparameterBlockReader.Read([SourceFile.Parse("H.cs", "/nowhere/H.cs", source)], [])!;

        Should.Throw<AutotuneException>(() => BlockRewriter.Render(source, block, new Assignment(new Dictionary<string, object> { ["Pool"] = "Max; Evil()" })));
    }
}

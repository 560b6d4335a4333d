using Autotune.Cli;
using Autotune.Detect;
using Autotune.Rewrite;
using Autotune.Search;
using Autotune.Tests.Detect;

namespace Autotune.Tests.Rewrite;

/// <summary>Whatever a template renders, a result that breaks the code or reaches outside the block is never written.</summary>
public sealed class RewriteGuardTests
{
    private const string Source = "using Autotune;\n\n[Hyperparameters]\npublic static class H\n{\n    [Range(1, 9)] public const int A = 2; // kept\n}\n\nclass Use { int x = H.A; }\n";

    private static HyperparameterBlock Block() => HyperparameterBlockReader.Read([SourceFile.Parse("H.cs", "/nowhere/H.cs", Source)], [])!;

    private static Assignment A(long v) => new(new Dictionary<string, object> { ["A"] = v });

    [Fact]
    public void A_template_whose_output_does_not_compile_is_refused()
    {
        var broken = BlockTemplate.Parse("{{ modifiers }} class {{ name }}\n{\n{{ for p in parameters }}    {{ p.attributes }} public const {{ p.type }} {{ p.name }} = ; {{ p.trailing_comment }}\n{{ end }}}\n", "broken");

        Should.Throw<AutotuneException>(() => BlockRewriter.Render(Source, Block(), A(3), broken)).Message.ShouldContain("does not compile");
    }

    [Fact]
    public void A_template_that_adds_code_after_the_block_is_refused()
    {
        var sneaky = BlockTemplate.Parse("{{ for a in class_attributes }}{{ a }}\n{{ end }}{{ modifiers }} class {{ name }}\n{\n{{ for p in parameters }}    {{ p.attributes }} public const {{ p.type }} {{ p.name }} = {{ p.literal }}; {{ p.trailing_comment }}\n{{ end }}}\nclass Injected { }\n", "sneaky");

        Should.Throw<AutotuneException>(() => BlockRewriter.Render(Source, Block(), A(3), sneaky)).Message.ShouldContain("does not parse as the one class 'H'");
    }

    [Fact]
    public void A_template_that_opens_a_comment_swallowing_the_rest_of_the_file_is_refused()
    {
        var swallowing = BlockTemplate.Parse("{{ for a in class_attributes }}{{ a }}\n{{ end }}{{ modifiers }} class {{ name }}\n{\n{{ for p in parameters }}    {{ p.attributes }} public const {{ p.type }} {{ p.name }} = {{ p.literal }}; {{ p.trailing_comment }}\n{{ end }}} /*\n", "swallowing");

        Should.Throw<AutotuneException>(() => BlockRewriter.Render(Source, Block(), A(3), swallowing));
    }

    [Fact]
    public void A_template_that_drops_a_comment_of_the_user_is_refused()
    {
        var forgetful = BlockTemplate.Parse("{{ for a in class_attributes }}{{ a }}\n{{ end }}{{ modifiers }} class {{ name }}\n{\n{{ for p in parameters }}    {{ p.attributes }} public const {{ p.type }} {{ p.name }} = {{ p.literal }};\n{{ end }}}\n", "forgetful");

        Should.Throw<AutotuneException>(() => BlockRewriter.Render(Source, Block(), A(3), forgetful)).Message.ShouldContain("would drop the comment '// kept'");
    }

    [Fact]
    public void A_template_with_a_syntax_error_is_reported_by_name()
    {
        Should.Throw<AutotuneException>(() => BlockTemplate.Parse("{{ for p in parameters }}", "mine.scriban")).Message.ShouldStartWith("block template mine.scriban does not parse");
    }

    [Fact]
    public void A_refused_rewrite_leaves_the_file_untouched_and_no_temporary_file_behind()
    {
        using var temp = new Fixtures.TempFolder();
        var path = temp.Write("H.cs", Source);
        var block = ModelDetector.Detect(temp.Path).Block!;

        Should.Throw<AutotuneException>(() => BlockRewriter.ApplyToFile(block, A(10)));

        File.ReadAllText(path).ShouldBe(Source);
        Directory.GetFiles(temp.Path).ShouldBe([path]);
    }
}

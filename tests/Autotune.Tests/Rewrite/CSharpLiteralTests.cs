using Autotune.Cli;
using Autotune.Detect;
using Autotune.Rewrite;

namespace Autotune.Tests.Rewrite;

public sealed class CSharpLiteralTests
{
    private static string Render(object value, string type) => CSharpLiteral.Render(value, ParameterType.FromSyntax(type).Type!, "P");

    [Theory]
    [InlineData(0.1, "double", "0.1")]
    [InlineData(1e-3, "double", "0.001")]
    [InlineData(2.0, "double", "2.0")]
    [InlineData(-1.5e-12, "double", "-1.5E-12")]
    [InlineData(0.1, "float", "0.1f")]
    [InlineData(3.0, "float", "3.0f")]
    [InlineData(1e20, "double", "1E+20")]
    public void Reals_render_as_invariant_round_trip_literals_with_a_suffix_for_float(double value, string type, string literal)
    {
        Render(value, type).ShouldBe(literal);
    }

    [Fact]
    public void Integers_render_invariant_and_are_refused_outside_their_type()
    {
        Render(-42L, "int").ShouldBe("-42");
        Render(255L, "byte").ShouldBe("255");
        Should.Throw<AutotuneException>(() => Render(256L, "byte")).Message.ShouldBe("value 256 for 'P' is not an integer that fits in byte");
        Should.Throw<AutotuneException>(() => Render(1.5, "int"));
    }

    [Fact]
    public void Bools_enums_and_strings_render_as_their_literals()
    {
        Render(true, "bool").ShouldBe("true");
        Render("Average", "Pooling").ShouldBe("Pooling.Average");
        Render("a\"b\\c\n", "string").ShouldBe("\"a\\\"b\\\\c\\n\"");
        Render("\u202Eabc", "string").ShouldBe("\"\\u202Eabc\"");
        Should.Throw<AutotuneException>(() => Render("class", "Pooling"));
        Should.Throw<AutotuneException>(() => Render("\uD800", "string"));
    }
}

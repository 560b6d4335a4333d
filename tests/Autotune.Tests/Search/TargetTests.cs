using Autotune.Search;

namespace Autotune.Tests.Search;

public sealed class TargetTests
{
    [Theory]
    [InlineData("accuracy>=0.99", "accuracy", Comparison.GreaterOrEqual, 0.99, Direction.Maximize)]
    [InlineData("loss<0.05", "loss", Comparison.Less, 0.05, Direction.Minimize)]
    [InlineData("val_auc > 0.9", "val_auc", Comparison.Greater, 0.9, Direction.Maximize)]
    [InlineData("  test/loss <= 1e-3 ", "test/loss", Comparison.LessOrEqual, 1e-3, Direction.Minimize)]
    [InlineData("delta>-0.5", "delta", Comparison.Greater, -0.5, Direction.Maximize)]
    public void A_target_reads_metric_comparison_and_value(string text, string metric, Comparison comparison, double value, Direction direction)
    {
        var target = Target.Parse(text);
        target.ShouldBe(new Target(metric, comparison, value));
        target.Direction.ShouldBe(direction);
    }

    [Theory]
    [InlineData("accuracy>=0.99", 0.99, true)]
    [InlineData("accuracy>=0.99", 0.98, false)]
    [InlineData("accuracy>0.99", 0.99, false)]
    [InlineData("loss<0.05", 0.04, true)]
    [InlineData("loss<0.05", 0.05, false)]
    [InlineData("loss<=0.05", 0.05, true)]
    [InlineData("loss<=0.05", double.NaN, false)]
    public void A_target_is_reached_by_values_on_its_side_of_the_bound(string text, double value, bool reached) =>
        Target.Parse(text).IsReachedBy(value).ShouldBe(reached);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("accuracy", "expected a metric, a comparison and a number")]
    [InlineData("accuracy=0.99", "only >, >=, < and <= are allowed")]
    [InlineData("accuracy==0.99", "only >, >=, < and <= are allowed")]
    [InlineData(">=0.99", "expected a metric, a comparison and a number")]
    [InlineData("accuracy>=", "no finite number")]
    [InlineData("accuracy>=high", "no finite number")]
    [InlineData("accuracy>=NaN", "no finite number")]
    [InlineData("9lives>=0.5", "no valid metric")]
    [InlineData("accuracy>=0.9>0.8", "expected a metric, a comparison and a number")]
    public void A_bad_target_says_what_is_wrong_and_how_to_write_one_in_one_line(string text, string reason)
    {
        var error = Should.Throw<ArgumentException>(() => Target.Parse(text));
        error.Message.ShouldContain(reason);
        error.Message.ShouldContain("accuracy>=0.99");
        error.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void A_target_prints_as_it_is_written()
    {
        Target.Parse("val_auc > 0.9").ToString().ShouldBe("val_auc>0.9");
        Target.Parse("loss<=1e-3").ToString().ShouldBe("loss<=0.001");
    }
}

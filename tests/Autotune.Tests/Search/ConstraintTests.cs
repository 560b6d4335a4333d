using Autotune.Search;

namespace Autotune.Tests.Search;

public sealed class ConstraintTests
{
    [Theory]
    [InlineData("params<=200000", "params", Comparison.LessOrEqual, 200000)]
    [InlineData(" latency_ms < 5 ", "latency_ms", Comparison.Less, 5)]
    [InlineData("val/recall>=0.8", "val/recall", Comparison.GreaterOrEqual, 0.8)]
    public void A_constraint_reads_metric_comparison_and_bound_as_a_target_does(string text, string metric, Comparison comparison, double bound) =>
        Constraint.Parse(text).ShouldBe(new Constraint(metric, comparison, bound));

    [Theory]
    [InlineData("", "The constraint is empty")]
    [InlineData("params", "Cannot read constraint 'params': expected a metric, a comparison and a number")]
    [InlineData("params=200000", "only >, >=, < and <= are allowed")]
    [InlineData("params<=lots", "Constraint 'params<=lots' has no finite number")]
    [InlineData("9params<=1", "Constraint '9params<=1' names no valid metric")]
    public void A_malformed_constraint_says_what_is_wrong_and_shows_one_that_reads(string text, string message)
    {
        var e = Should.Throw<ArgumentException>(() => Constraint.Parse(text));
        e.Message.ShouldContain(message);
        e.Message.ShouldContain("\"params<=200000\"");
        e.Message.ShouldNotContain("\n");
    }

    [Theory]
    [InlineData("params<=200000", 200000, null)]
    [InlineData("params<=200000", 412000, "params 412000 > 200000")]
    [InlineData("params<200000", 200000, "params 200000 >= 200000")]
    [InlineData("recall>=0.8", 0.75, "recall 0.75 < 0.8")]
    [InlineData("recall>0.8", 0.8, "recall 0.8 <= 0.8")]
    [InlineData("params<=200000", double.NaN, "params not reported")]
    public void A_constraint_broken_at_the_last_epoch_says_by_which_value(string text, double value, string? broken)
    {
        var c = Constraint.Parse(text);
        c.BrokenBy(new Dictionary<string, double> { [c.Metric] = value, ["accuracy"] = 0.99 }).ShouldBe(broken);
    }

    [Fact]
    public void A_metric_missing_from_the_epoch_breaks_its_constraint()
    {
        IReadOnlyList<Constraint> constraints = [Constraint.Parse("params<=200000"), Constraint.Parse("latency_ms<5")];
        constraints.BrokenBy(new Dictionary<string, double> { ["params"] = 412000 }).ShouldBe(["params 412000 > 200000", "latency_ms not reported"]);
        constraints.BrokenBy(new Dictionary<string, double> { ["params"] = 1000, ["latency_ms"] = 2 }).ShouldBeEmpty();
    }

    [Fact]
    public void Two_sets_of_the_same_constraints_in_another_order_describe_alike()
    {
        Constraint[] a = [Constraint.Parse("params<=200000"), Constraint.Parse("latency_ms<5")];
        Constraint[] b = [Constraint.Parse("latency_ms < 5"), Constraint.Parse("params <= 2e5")];
        a.Describe().ShouldBe(b.Describe());
        a.Describe().ShouldBe("latency_ms<5, params<=200000");
    }

    [Fact]
    public void A_broken_value_hides_float_noise_but_is_never_printed_as_its_bound()
    {
        Constraint.Parse("loss<0.04").BrokenBy(new Dictionary<string, double> { ["loss"] = 1 - 0.95 }).ShouldBe("loss 0.05 >= 0.04");
        Constraint.Parse("recall>=0.8").BrokenBy(new Dictionary<string, double> { ["recall"] = 0.79999999999999 }).ShouldBe("recall 0.79999999999999 < 0.8");
    }
}

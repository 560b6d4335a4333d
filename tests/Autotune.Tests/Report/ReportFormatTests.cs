using Autotune.Report;
using Autotune.Search;

namespace Autotune.Tests.Report;

public sealed class ReportFormatTests
{
    [Fact]
    public void A_value_that_missed_its_goal_is_never_rounded_onto_it()
    {
        ReportFormat.Number(0.98999, Target.Parse("accuracy>=0.99")).ShouldBe("0.98999");
        ReportFormat.Number(0.0500001, Target.Parse("loss<=0.05")).ShouldBe("0.0500001");
        ReportFormat.Number(0.99, Target.Parse("accuracy>0.99")).ShouldBe("0.99");
    }

    [Fact]
    public void A_value_clear_of_its_goal_keeps_four_decimals_and_a_huge_one_its_exponent()
    {
        ReportFormat.Number(0.9731234, Target.Parse("accuracy>=0.99")).ShouldBe("0.9731");
        ReportFormat.Number(0.99004, Target.Parse("accuracy>=0.99")).ShouldBe("0.99");
        ReportFormat.Number(1e308, Target.Parse("loss<0.05")).ShouldBe("1E+308");
        ReportFormat.Number(null, Target.Parse("loss<0.05")).ShouldBe("-");
    }
}

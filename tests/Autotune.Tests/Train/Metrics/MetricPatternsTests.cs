using Autotune.Cli;
using Autotune.Train.Metrics;

namespace Autotune.Tests.Train.Metrics;

public sealed class MetricPatternsTests
{
    [Fact]
    public void An_expression_that_does_not_compile_is_invalid_input_naming_the_file_and_key()
    {
        var e = Should.Throw<AutotuneException>(() => MetricPatterns.Compile(new Dictionary<string, string> { ["accuracy"] = "acc=(?<value>[0-9.]+" }, "/m/autotune.json"));
        e.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        e.Message.ShouldStartWith("/m/autotune.json: \"metrics\".\"accuracy\": the regular expression does not compile");
    }

    [Fact]
    public void An_expression_without_a_group_is_invalid_input()
    {
        Should.Throw<AutotuneException>(() => MetricPatterns.Compile(new Dictionary<string, string> { ["loss"] = "loss=[0-9.]+" }, "autotune.json"))
            .Message.ShouldContain("no group for the value");
    }
}

public sealed class DivergenceTests
{
    private static MetricLine Epoch(int n, string name, double v) => new(n, new Dictionary<string, double> { [name] = v }, null);

    [Fact]
    public void Nan_or_inf_fails_the_trial_with_the_metric_and_epoch() =>
        Divergence.Check(Epoch(3, "loss", double.NaN), []).ShouldBe("loss is nan at epoch 3");

    [Fact]
    public void A_loss_ten_times_its_first_epoch_has_diverged() =>
        Divergence.Check(Epoch(4, "val_loss", 5.0), [Epoch(1, "val_loss", 0.4)]).ShouldBe("val_loss diverged: 0.4 at epoch 1, 5 at epoch 4");

    [Fact]
    public void A_loss_that_merely_got_worse_has_not() =>
        Divergence.Check(Epoch(4, "loss", 0.9), [Epoch(1, "loss", 0.4)]).ShouldBeNull();
}

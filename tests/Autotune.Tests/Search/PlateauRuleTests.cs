using Autotune.Search;

namespace Autotune.Tests.Search;

public sealed class PlateauRuleTests
{
    [Fact]
    public void A_trial_stops_after_patience_epochs_without_improving_by_more_than_the_minimum()
    {
        var rule = new PlateauRule(Patience: 3, MinDelta: 0.001);
        rule.Decide([0.90, 0.95, 0.9505, 0.9502, 0.9509], Direction.Maximize).ShouldBe(TrialDecision.Stop);
        rule.Decide([0.90, 0.95, 0.9505, 0.9502, 0.9520], Direction.Maximize).ShouldBe(TrialDecision.Continue);
    }

    [Fact]
    public void A_trial_still_improving_continues()
    {
        new PlateauRule(Patience: 2).Decide([0.5, 0.6, 0.7, 0.8], Direction.Maximize).ShouldBe(TrialDecision.Continue);
    }

    [Fact]
    public void A_trial_shorter_than_the_patience_continues()
    {
        new PlateauRule(Patience: 5).Decide([0.5, 0.5, 0.5], Direction.Maximize).ShouldBe(TrialDecision.Continue);
    }

    [Fact]
    public void When_minimising_a_loss_that_stops_falling_is_a_plateau()
    {
        var rule = new PlateauRule(Patience: 2, MinDelta: 0.01);
        rule.Decide([1.0, 0.5, 0.495, 0.499], Direction.Minimize).ShouldBe(TrialDecision.Stop);
        rule.Decide([1.0, 0.5, 0.48, 0.499], Direction.Minimize).ShouldBe(TrialDecision.Continue);
    }
}

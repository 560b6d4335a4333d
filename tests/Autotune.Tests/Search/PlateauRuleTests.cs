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
    public void A_trial_that_has_not_improved_on_its_first_epoch_is_not_learning_yet_and_is_left_to_ASHA()
    {
        // Three spirals: accuracy at chance (1/3) for epochs, then the climb.
        new PlateauRule(Patience: 3, MinDelta: 1e-4).Decide([0.3589, 0.3589, 0.3589, 0.3589, 0.3589], Direction.Maximize).ShouldBe(TrialDecision.Continue);
        new PlateauRule(Patience: 3, MinDelta: 1e-4).Decide([0.3589, 0.35, 0.3589, 0.34, 0.33], Direction.Maximize).ShouldBe(TrialDecision.Continue);
    }

    [Fact]
    public void A_metric_wandering_around_its_first_value_is_not_a_plateau_however_long_it_wanders()
    {
        // A spiral MLP sits at chance accuracy (1/3) for a dozen epochs before it climbs to 0.99 (bench/foreign);
        // an early lucky epoch (0.40 here) then looks like a best that the next epochs fail to beat.
        double[] atChance = [0.36, 0.40, 0.35, 0.37, 0.38, 0.36, 0.39, 0.34, 0.37, 0.38, 0.35, 0.39];
        var rule = new PlateauRule(Patience: 3, MinDelta: 1e-4);
        for (var n = 4; n <= atChance.Length; n++) rule.Decide(atChance[..n], Direction.Maximize).ShouldBe(TrialDecision.Continue, $"after {n} epochs");

        // The same spread after a real climb is a plateau.
        rule.Decide([0.37, 0.6, 0.9, 0.99, 0.97, 0.98, 0.975, 0.985], Direction.Maximize).ShouldBe(TrialDecision.Stop);
    }

    [Fact]
    public void A_long_trial_needs_a_plateau_of_half_its_epochs_before_it_stops()
    {
        var rule = new PlateauRule(Patience: 3, MinDelta: 1e-4);
        double[] learned = [0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.9, 0.9, 0.9, 0.9];
        rule.Decide([.. learned], Direction.Maximize).ShouldBe(TrialDecision.Continue); // 4 flat epochs of 10: not half yet
        rule.Decide([.. learned, 0.9, 0.9], Direction.Maximize).ShouldBe(TrialDecision.Stop); // 6 flat of 12
    }

    [Fact]
    public void When_minimising_a_loss_that_stops_falling_is_a_plateau()
    {
        var rule = new PlateauRule(Patience: 2, MinDelta: 0.01);
        rule.Decide([1.0, 0.5, 0.495, 0.499], Direction.Minimize).ShouldBe(TrialDecision.Stop);
        rule.Decide([1.0, 0.5, 0.48, 0.499], Direction.Minimize).ShouldBe(TrialDecision.Continue);
    }

    [Fact]
    public void A_trial_whose_held_out_loss_still_falls_is_not_on_a_plateau_while_its_accuracy_has_not_moved()
    {
        // Accuracy climbed a little, then sat; the validation loss went on falling: the model still learns.
        double[] accuracy = [0.34, 0.40, 0.41, 0.405, 0.408, 0.406];
        var rule = new PlateauRule(Patience: 3, MinDelta: 1e-4);
        rule.Decide(accuracy, Direction.Maximize).ShouldBe(TrialDecision.Stop);
        rule.Decide(accuracy, Direction.Maximize, [1.09, 1.08, 1.07, 1.05, 1.03, 1.00]).ShouldBe(TrialDecision.Continue);
        // A loss that moves by less than 1 % of its value is not still learning.
        rule.Decide(accuracy, Direction.Maximize, [1.09, 1.08, 1.07, 1.069, 1.068, 1.0695]).ShouldBe(TrialDecision.Stop);
        // Nor is one the program stopped reporting.
        rule.Decide(accuracy, Direction.Maximize, [1.09, 1.08, 1.07, double.NaN, double.NaN, double.NaN]).ShouldBe(TrialDecision.Stop);
    }

    [Fact]
    public void A_gain_within_the_noise_the_other_trials_show_is_not_a_climb_that_levelled_off()
    {
        // A short trial at chance: one lucky epoch (0.41), then four at 0.38-0.39. Alone it reads as a plateau;
        // beside trials whose accuracy wanders by 0.02 an epoch, a 0.05 gain is noise.
        double[] lucky = [0.36, 0.41, 0.38, 0.39, 0.385, 0.38, 0.39];
        var rule = new PlateauRule(Patience: 3, MinDelta: 1e-4);
        rule.Decide(lucky, Direction.Maximize).ShouldBe(TrialDecision.Stop);
        rule.Decide(lucky, Direction.Maximize, noise: 0.02).ShouldBe(TrialDecision.Continue);
        // Where the study's noise is small (MNIST near 99 %), the same rule stops as before.
        rule.Decide(lucky, Direction.Maximize, noise: 0.001).ShouldBe(TrialDecision.Stop);
    }
}

using Autotune.Train.Metrics;

namespace Autotune.Tests.Train.Metrics;

public sealed class CompanionLossTests
{
    [Fact]
    public void A_held_out_loss_speaks_for_a_trial_before_any_other_loss()
    {
        MetricName.CompanionLoss(["epoch", "loss", "val_loss", "val_accuracy"], "val_accuracy").ShouldBe("val_loss");
        MetricName.CompanionLoss(["loss", "test_loss", "accuracy"], "accuracy").ShouldBe("test_loss");
    }

    [Fact]
    public void A_loss_the_name_does_not_place_comes_before_the_training_loss()
    {
        // PyTorch's MNIST example: "Train Epoch: ... Loss: 0.3" and "Test set: Average loss: 0.05, Accuracy: 9800/10000".
        MetricName.CompanionLoss(["loss", "average_loss", "accuracy"], "accuracy").ShouldBe("average_loss");
        MetricName.CompanionLoss(["loss", "accuracy"], "Accuracy").ShouldBe("loss");
    }

    [Fact]
    public void A_target_that_is_a_loss_or_a_program_without_one_has_no_companion()
    {
        MetricName.CompanionLoss(["loss", "val_loss", "accuracy"], "val_loss").ShouldBeNull();
        MetricName.CompanionLoss(["auc", "f1", "lossless_ratio"], "auc").ShouldBeNull();
    }
}

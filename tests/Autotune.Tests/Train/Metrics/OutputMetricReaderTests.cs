using Autotune.Train.Metrics;

namespace Autotune.Tests.Train.Metrics;

/// <summary>Printed lines become one metric line per epoch, as the SDK's metrics.jsonl has them.</summary>
public sealed class OutputMetricReaderTests
{
    private static List<MetricLine> ReadAll(OutputMetricReader reader, params string[] lines)
    {
        var epochs = new List<MetricLine>();
        foreach (var l in lines) epochs.AddRange(reader.Feed(l));
        epochs.AddRange(reader.Finish());
        return epochs;
    }

    [Fact]
    public void Keras_lines_give_one_epoch_each_the_moment_the_target_metric_is_printed()
    {
        var reader = new OutputMetricReader(MetricPatterns.None, "accuracy");
        reader.Feed("loaded 60000 images").ShouldBeEmpty();
        reader.Feed("Epoch 1/3").ShouldBeEmpty();
        var first = reader.Feed("1875/1875 [======] - 3s 2ms/step - loss: 0.2950 - accuracy: 0.9153 - val_loss: 0.1466 - val_accuracy: 0.9568");
        first.Single().Epoch.ShouldBe(1);
        first.Single().Metrics["accuracy"].ShouldBe(0.9153);
        first.Single().Metrics["val_accuracy"].ShouldBe(0.9568);
        reader.Feed("Epoch 2/3").ShouldBeEmpty();
        reader.Feed("1875/1875 [======] - 3s 2ms/step - loss: 0.14 - accuracy: 0.958").Single().Epoch.ShouldBe(2);
    }

    [Fact]
    public void Metrics_printed_one_a_line_after_the_key_metric_complete_its_epoch_and_only_a_repeated_name_starts_the_next()
    {
        var once = ReadAll(new OutputMetricReader(MetricPatterns.None, "auc"), "Accuracy: 89.22 %", "AUC: 95.67 %", "F1 Score: 84.48 %");
        once.Select(e => e.Epoch).Distinct().ShouldBe([1]);
        once[^1].Metrics.Keys.Order().ShouldBe(["accuracy", "auc", "f1_score"]);

        var perEpoch = ReadAll(new OutputMetricReader(MetricPatterns.None, "auc"), "auc: 0.90", "f1: 0.8", "auc: 0.95", "f1: 0.85");
        perEpoch.GroupBy(e => e.Epoch).Select(g => (g.Key, g.Last().Metrics["f1"])).ShouldBe([(1, 0.8), (2, 0.85)]);
    }

    [Fact]
    public void An_epoch_counter_with_a_total_marks_the_last_epoch_so_it_is_never_pruned()
    {
        var epochs = ReadAll(new OutputMetricReader(MetricPatterns.None, "accuracy"),
            "Epoch 1/2 - accuracy: 0.91", "Epoch 2/2 - accuracy: 0.93");
        epochs.Select(e => e.IsLast).ShouldBe([false, true]);
        var zeroBased = ReadAll(new OutputMetricReader(MetricPatterns.None, "accuracy"), "epoch 0/2 accuracy 0.5", "epoch 1/2 accuracy 0.6");
        zeroBased.Select(e => (e.Epoch, e.IsLast)).ShouldBe([(1, false), (2, true)]);
        ReadAll(new OutputMetricReader(MetricPatterns.None, "accuracy"), "epoch 2: accuracy 0.9").Single().IsLast.ShouldBeFalse();
    }

    [Fact]
    public void A_target_printed_as_a_percentage_matches_a_target_written_as_a_fraction()
    {
        var epochs = ReadAll(new OutputMetricReader(MetricPatterns.None, "accuracy"), "Epoch 1/2 - accuracy: 98.5%", "Epoch 2/2 - accuracy: 99.1%");
        epochs.Select(e => e.Metrics["accuracy"]).ShouldBe([0.985, 0.991]);
        new Autotune.Search.Target("accuracy", Autotune.Search.Comparison.GreaterOrEqual, 0.99).IsReachedBy(epochs[^1].Metrics["accuracy"]).ShouldBeTrue();
    }

    [Fact]
    public void PyTorch_example_output_puts_the_training_loss_and_the_test_accuracy_into_the_epoch_of_its_counter()
    {
        var epochs = ReadAll(new OutputMetricReader(MetricPatterns.None, "accuracy"),
            "Train Epoch: 1 [0/60000 (0%)]\tLoss: 2.300",
            "Train Epoch: 1 [59520/60000 (99%)]\tLoss: 0.120",
            "",
            "Test set: Average loss: 0.0500, Accuracy: 9840/10000 (98%)",
            "Train Epoch: 2 [0/60000 (0%)]\tLoss: 0.100",
            "Test set: Average loss: 0.0331, Accuracy: 9890/10000 (99%)");
        epochs.Select(e => e.Epoch).ShouldBe([1, 2]);
        epochs[0].Metrics["loss"].ShouldBe(0.12);
        epochs[1].Metrics["accuracy"].ShouldBe(0.989);
        epochs[1].Metrics["average_loss"].ShouldBe(0.0331);
    }

    [Fact]
    public void Output_without_an_epoch_counter_counts_epochs_by_repetition()
    {
        var epochs = ReadAll(new OutputMetricReader(MetricPatterns.None), "loss 0.5", "acc 0.8", "loss 0.4", "acc 0.85", "loss 0.3", "acc 0.9");
        epochs.Select(e => e.Epoch).ShouldBe([1, 2, 3]);
        epochs.Select(e => e.Metrics["acc"]).ShouldBe([0.8, 0.85, 0.9]);
    }

    [Fact]
    public void Without_a_target_the_metric_that_closed_the_first_epoch_closes_the_next_at_once()
    {
        var reader = new OutputMetricReader(MetricPatterns.None);
        reader.Feed("Epoch 1/3 - loss: 0.5 - accuracy: 0.8").ShouldBeEmpty();
        reader.Feed("Epoch 2/3 - loss: 0.4 - accuracy: 0.85").Select(e => e.Epoch).ShouldBe([1, 2]);
        reader.Feed("Epoch 3/3 - loss: 0.3 - accuracy: 0.9").Single().Epoch.ShouldBe(3);
        reader.Finish().ShouldBeEmpty();
    }

    [Fact]
    public void A_zero_based_epoch_counter_is_shifted_so_the_first_epoch_is_one()
    {
        var epochs = ReadAll(new OutputMetricReader(MetricPatterns.None, "val_acc"),
            "Epoch 0: 100%|███| 10/10 [00:01<00:00, val_acc=0.5]", "Epoch 1: 100%|███| 10/10 [00:01<00:00, val_acc=0.7]");
        epochs.Select(e => e.Epoch).ShouldBe([1, 2]);
    }

    [Fact]
    public void A_printed_name_in_another_case_is_stored_under_the_targets_spelling()
    {
        var epochs = ReadAll(new OutputMetricReader(MetricPatterns.None, "Accuracy"), "epoch 1: ACCURACY = 0.7");
        epochs.Single().Metrics.Keys.ShouldBe(["Accuracy"]);
    }

    [Fact]
    public void A_similar_name_never_stands_in_for_the_target_and_is_named_in_the_hint()
    {
        var reader = new OutputMetricReader(MetricPatterns.None, "accuracy");
        ReadAll(reader, "Epoch 1/2 - val_accuracy: 0.7", "Epoch 2/2 - val_accuracy: 0.8").ShouldAllBe(e => !e.Metrics.ContainsKey("accuracy"));
        reader.SawKeyMetric.ShouldBeFalse();
        MetricName.SimilarTo("accuracy", reader.Names).ShouldBe(["val_accuracy"]);
        MetricName.SimilarTo("accuracy", ["train_accuracy", "test_accuracy", "loss"]).Count.ShouldBe(2); // ambiguous
    }

    [Fact]
    public void An_explicit_expression_reads_its_metric_and_the_defaults_no_longer_do()
    {
        var patterns = MetricPatterns.Compile(new Dictionary<string, string> { ["accuracy"] = @"ep(?<epoch>\d+) ok=(?<value>[0-9.]+)" }, "autotune.json");
        var epochs = ReadAll(new OutputMetricReader(patterns, "accuracy"), "ep1 ok=91.5% accuracy: 0.1", "ep2 ok=0.95 accuracy: 0.2");
        epochs.Select(e => (e.Epoch, e.Metrics["accuracy"])).ShouldBe([(1, 0.915), (2, 0.95)]);
    }

    [Fact]
    public void A_csv_metrics_file_is_read_by_its_header()
    {
        var epochs = ReadAll(new OutputMetricReader(MetricPatterns.None, "val_accuracy", csv: true),
            "epoch,accuracy,loss,val_accuracy,val_loss", "0,0.91,0.29,0.95,0.14", "1,0.96,0.14,0.97,0.10");
        epochs.Select(e => (e.Epoch, e.Metrics["val_accuracy"])).ShouldBe([(1, 0.95), (2, 0.97)]);
    }

    [Fact]
    public void A_restart_from_the_beginning_forgets_the_epochs_read_before()
    {
        var reader = new OutputMetricReader(MetricPatterns.None, "acc");
        ReadAll(reader, "epoch 1 acc 0.5", "epoch 2 acc 0.6");
        reader.Restart();
        reader.Feed("epoch 1 acc 0.55").Single().Epoch.ShouldBe(1);
    }
}

using Autotune.Train.Metrics;

namespace Autotune.Tests.Train.Metrics;

/// <summary>Lines as real tools and people print them, read by the default patterns.</summary>
public sealed class DefaultPatternsTests
{
    public static TheoryData<string, string, double, int?> Formats => new()
    {
        // line, metric, value, epoch counter (null: none on the line)
        { "accuracy: 0.9812", "accuracy", 0.9812, null },
        { "accuracy=0.9812", "accuracy", 0.9812, null },
        { "accuracy 0.9812", "accuracy", 0.9812, null },
        { "accuracy: 99.1%", "accuracy", 0.991, null },
        { "acc 98.2%", "acc", 0.982, null },
        { "Accuracy is 98.2%", "accuracy", 0.982, null },
        { "AUC: 95.67 %", "auc", 0.9567, null }, // .NET's "P2" format puts a space before the sign
        { "Accuracy: 89.22 %  F1 Score: 84.48 %", "f1_score", 0.8448, null },
        { "Epoch 3/10 - loss: 0.7143 - val_accuracy: 0.7588", "val_accuracy", 0.7588, 3 },
        { "Epoch 3/10 - loss: 0.7143 - val_accuracy: 0.7588", "loss", 0.7143, 3 },
        { "1875/1875 [==============================] - 3s 2ms/step - loss: 0.2950 - accuracy: 0.9153 - val_loss: 0.1466 - val_accuracy: 0.9568", "accuracy", 0.9153, null },
        { "1875/1875 - 4s - loss: 0.2954 - accuracy: 0.9143 - 4s/epoch - 2ms/step", "loss", 0.2954, null },
        { "Epoch 2: 100%|██████████| 1719/1719 [00:15<00:00, 110.91it/s, v_num=0, train_loss=0.123, val_loss=0.0881, val_acc=0.973]", "val_acc", 0.973, 2 },
        { "Epoch 2:  45%|████▌     | 780/1719 [00:07<00:08, 111.2it/s, loss=0.31]\rEpoch 2: 100%|██████████| 1719/1719 [00:15<00:00, 110.91it/s, loss=0.123]", "loss", 0.123, 2 },
        { "Epoch [3/10], Loss: 0.1230", "loss", 0.123, 3 },
        { "Epoch [3/10], Step [600/600], Loss: 0.1230", "loss", 0.123, 3 },
        { "Test set: Average loss: 0.0331, Accuracy: 9890/10000 (99%)", "accuracy", 0.989, null },
        { "Test set: Average loss: 0.0331, Accuracy: 9890/10000 (99%)", "average_loss", 0.0331, null },
        { "Train Epoch: 1 [640/60000 (1%)]\tLoss: 0.299072", "loss", 0.299072, 1 },
        { "*       Accuracy:    97.20%", "accuracy", 0.972, null },
        { "*       LogLoss:     .0825", "logloss", 0.0825, null },
        { "Macro accuracy = 0.9612, Micro accuracy = 0.9650", "micro_accuracy", 0.965, null },
        { "R-Squared: 0.9123", "r_squared", 0.9123, null },
        { "epoch 3 | train loss 0.523 | val loss 0.610 | val acc 0.81", "val_acc", 0.81, 3 },
        { "epoch 3 | train loss 0.523 | val loss 0.610 | val acc 0.81", "train_loss", 0.523, 3 },
        { "epoch=4 loss=0.21 acc=0.93", "acc", 0.93, 4 },
        { "[Epoch 5] loss 0.1 acc 0.95", "acc", 0.95, 5 },
        { "Epoch: 6, loss: 1.23e-04", "loss", 0.000123, 6 },
        { "2026-11-23 14:02:11,532 INFO epoch 7 loss 0.25 accuracy 0.91", "accuracy", 0.91, 7 },
        { "[14:02:11] accuracy: 0.93", "accuracy", 0.93, null },
        { "{\"epoch\": 8, \"loss\": 0.12, \"accuracy\": 0.97}", "accuracy", 0.97, 8 },
        { "{'eval_loss': 0.3, 'eval_accuracy': 0.91, 'epoch': 1.0}", "eval_accuracy", 0.91, 1 },
        { "loss: tensor(0.1234, grad_fn=<NllLossBackward0>)", "loss", 0.1234, null },
        { "\u001b[32mEpoch 2/5\u001b[0m - loss: 0.4000 - accuracy: 0.8800", "accuracy", 0.88, 2 },
        { "iter 10/100 loss 0.5", "loss", 0.5, null },
        { "step 100: loss=0.52", "loss", 0.52, null },
        { "  top1: 76.1%  top5: 92.9%", "top5", 0.929, null },
        { "loss: nan", "loss", double.NaN, null },
        { "loss=inf", "loss", double.PositiveInfinity, null },
        { "mse: -0.5", "mse", -0.5, null },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_common_line_format_yields_its_metric_and_epoch(string line, string metric, double value, int? epoch)
    {
        var read = DefaultPatterns.Read(line);
        var found = read.Metrics.Where(m => m.Key == metric).Select(m => m.Value).ToList();
        found.ShouldNotBeEmpty($"'{metric}' not read from: {line}; read: {string.Join(", ", read.Metrics.Select(m => m.Key + "=" + m.Value))}");
        if (!double.IsFinite(value)) found[^1].ShouldBe(value);
        else found[^1].ShouldBe(value, 1e-9);
        read.Epoch.ShouldBe(epoch);
    }

    public static TheoryData<string, string> NotTheMetric => new()
    {
        // line, a target metric that must not be read from it
        { "loaded 60000 images", "images" },
        { "loaded 60000 images", "loaded" },
        { "Loaded 60000 training samples in 1.2 s", "samples" },
        { "lr: 0.001", "lr" },
        { "learning rate: 0.001", "learning_rate" },
        { "Adam lr=0.002, batch 64", "lr" },
        { "val_accuracy: 0.7588", "accuracy" },
        { "test_loss: 0.21", "loss" },
        { "val_loss 0.21 val_acc 0.9", "loss" },
        { "TorchSharp 0.107.0", "torchsharp" },
        { "using TorchSharp version 0.107.0", "version" },
        { "Python 3.11.4", "python" },
        { "2026-11-23 14:02:11 started", "started" },
        { "elapsed 12:03:44", "elapsed" },
        { "took 3.2 seconds", "took" },
        { "Training: 100%|██████████| 938/938", "training" },
        { "model: 784-32-10 MLP", "model" },
        { "epochs: 10", "epochs" },
        { "Epoch 3/10", "epoch" },
        { "1875/1875 [====] - 3s 2ms/step", "step" },
        { "batch_size = 64", "batch_size" },
        { "seed 42", "seed" },
    };

    [Theory]
    [MemberData(nameof(NotTheMetric))]
    public void A_count_a_setting_a_similar_name_or_a_version_is_not_read_as_the_metric(string line, string metric)
    {
        DefaultPatterns.Read(line).Metrics.ShouldNotContain(m => MetricName.Matches(m.Key, metric), line);
    }

    [Fact]
    public void A_bar_rewritten_with_carriage_returns_counts_only_its_last_state()
    {
        var read = DefaultPatterns.Read("loss=0.9 acc=0.1\rloss=0.5 acc=0.6\rloss=0.2 acc=0.95\r   ");
        read.Metrics.ShouldBe([new("loss", 0.2), new("acc", 0.95)]);
    }
}

using Autotune.Train.Metrics;

namespace Autotune.Tests.Train.Metrics;

/// <summary>
/// A program without the SDK read from what it prints and from the metrics file its code writes, together:
/// the file wins for the epochs it reports, and the output still brings what the file lacks.
/// </summary>
public sealed class ProgramMetricReaderTests
{
    private static readonly ProgramOutput FoundFile = new(MetricPatterns.None, "metrics.csv", OutputToo: true);

    [Fact]
    public void The_files_rows_win_over_the_printed_values_of_the_same_epoch()
    {
        var reader = new ProgramMetricReader(FoundFile, "val_accuracy");

        reader.FeedOutput("Epoch 1/2 - loss: 0.52 - val_accuracy: 0.81").Single().Metrics["val_accuracy"].ShouldBe(0.81);
        reader.FeedFile("epoch,loss,val_accuracy").ShouldBeEmpty();
        var fromFile = reader.FeedFile("0,0.5213,0.8127").Single();

        fromFile.Epoch.ShouldBe(1);
        fromFile.Metrics["val_accuracy"].ShouldBe(0.8127);
        fromFile.Metrics["loss"].ShouldBe(0.5213);
        fromFile.Of.ShouldBe(2); // the printed counter still says which epoch is the last
    }

    [Fact]
    public void A_target_metric_only_printed_is_kept_whichever_source_comes_first()
    {
        var reader = new ProgramMetricReader(FoundFile, "val_accuracy");
        var epochs = new List<MetricLine>();

        epochs.AddRange(reader.FeedFile("epoch,loss"));
        epochs.AddRange(reader.FeedFile("0,0.52"));
        epochs.AddRange(reader.FeedFile("1,0.41")); // completes the file's epoch 1, without the target metric: no verdict on it yet
        epochs.ShouldBeEmpty();
        epochs.AddRange(reader.FeedOutput("epoch 1 val_accuracy 0.81"));
        epochs.AddRange(reader.FeedOutput("epoch 2 val_accuracy 0.86"));
        epochs.AddRange(reader.Finish());

        epochs.ShouldAllBe(e => e.Metrics.ContainsKey("val_accuracy"));
        var last = epochs.GroupBy(e => e.Epoch).Select(g => g.Last()).ToList();
        last.Select(e => e.Epoch).ShouldBe([1, 2]);
        last.Select(e => (e.Metrics["loss"], e.Metrics["val_accuracy"])).ShouldBe([(0.52, 0.81), (0.41, 0.86)]);
    }

    [Fact]
    public void Printed_lines_without_the_target_metric_do_not_end_epochs_the_file_reports()
    {
        var reader = new ProgramMetricReader(FoundFile, "val_accuracy");
        var epochs = new List<MetricLine>();

        foreach (var step in new[] { "loss: 0.9", "loss: 0.8", "loss: 0.7" }) epochs.AddRange(reader.FeedOutput(step));
        epochs.AddRange(reader.FeedFile("epoch,val_accuracy"));
        epochs.AddRange(reader.FeedFile("0,0.7"));
        epochs.AddRange(reader.Finish());

        epochs.Select(e => (e.Epoch, e.Metrics["val_accuracy"])).Distinct().ShouldBe([(1, 0.7)]);
        reader.Names.ShouldBe(["loss", "val_accuracy"], ignoreOrder: true);
    }

    [Fact]
    public void A_metrics_file_named_in_autotune_json_is_read_instead_of_the_output()
    {
        var reader = new ProgramMetricReader(new ProgramOutput(MetricPatterns.None, "metrics.csv"), "val_accuracy");

        reader.FeedOutput("epoch 1 val_accuracy 0.99").ShouldBeEmpty();
        reader.FeedFile("epoch,val_accuracy");
        reader.FeedFile("0,0.7").Single().Metrics["val_accuracy"].ShouldBe(0.7);
    }

    [Fact]
    public void Rows_a_resumed_program_appends_without_a_header_are_read_with_the_header_and_count_of_the_first_start()
    {
        var reader = new ProgramMetricReader(FoundFile, "val_accuracy");
        reader.Restart();
        reader.KnowFileStart(["epoch,loss,val_accuracy", "0,0.52,0.81"]);

        var resumed = reader.FeedFile("2,0.33,0.88").Single();

        resumed.Epoch.ShouldBe(3); // the file counts from 0, as the first start's first row showed
        resumed.Metrics["val_accuracy"].ShouldBe(0.88);
    }
}

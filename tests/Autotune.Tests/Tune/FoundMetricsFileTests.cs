using Autotune.Detect;
using Autotune.Train.Metrics;
using Autotune.Tune;

namespace Autotune.Tests.Tune;

/// <summary>Which file a program without the SDK is read from when autotune.json names none, and what the user is told.</summary>
public sealed class FoundMetricsFileTests
{
    private static WrittenFile Written(string path, int line) => new(path, new Evidence("Program.cs", line, $"File.AppendAllText writes \"{path}\""));

    [Fact]
    public void The_one_csv_the_code_writes_is_read_with_the_output_and_the_user_is_told_where_it_is_written()
    {
        var (output, note) = FoundMetricsFile.Apply(ProgramOutput.Default, [Written("metrics.csv", 42)]);

        output.MetricsFile.ShouldBe("metrics.csv");
        output.OutputToo.ShouldBeTrue();
        note.ShouldBe("metrics: read from metrics.csv, which Program.cs:42 writes, and from the output for what it lacks (set \"metricsFile\" in autotune.json to choose another)");
    }

    [Fact]
    public void Of_several_files_the_one_named_as_a_log_of_metrics_is_read()
    {
        FoundMetricsFile.Choose([Written("predictions.csv", 3), Written("train_log.csv", 9)])!.Path.ShouldBe("train_log.csv");
        FoundMetricsFile.Choose([Written("train_log.csv", 3), Written("logs/metrics.csv", 9)])!.Path.ShouldBe("logs/metrics.csv");
        FoundMetricsFile.Choose([Written("history.csv", 3), Written("progress.jsonl", 9)])!.Path.ShouldBe("history.csv");
    }

    [Fact]
    public void Several_files_none_named_as_a_log_leave_the_output_read_and_are_listed()
    {
        var (output, note) = FoundMetricsFile.Apply(ProgramOutput.Default, [Written("predictions.csv", 3), Written("scores.csv", 9)]);

        output.ShouldBe(ProgramOutput.Default);
        note.ShouldBe("metrics: read from the program's output; it writes predictions.csv (Program.cs:3), scores.csv (Program.cs:9): set \"metricsFile\" in autotune.json to read one of them");
        FoundMetricsFile.Choose([Written("a_metrics.csv", 3), Written("b_metrics.csv", 9)]).ShouldBeNull(); // two alike: the user chooses
    }

    [Fact]
    public void A_metrics_file_named_in_autotune_json_stands_and_nothing_is_said()
    {
        var configured = new ProgramOutput(MetricPatterns.None, "logs/history.csv");

        FoundMetricsFile.Apply(configured, [Written("metrics.csv", 42)]).ShouldBe((configured, (string?)null));
        FoundMetricsFile.Apply(ProgramOutput.Default, []).ShouldBe((ProgramOutput.Default, (string?)null));
    }
}

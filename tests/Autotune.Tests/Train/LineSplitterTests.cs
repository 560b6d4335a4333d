using Autotune.Train;

namespace Autotune.Tests.Train;

/// <summary>A program's output cut into lines with bounded memory.</summary>
public sealed class LineSplitterTests
{
    [Fact]
    public void A_line_of_several_megabytes_is_passed_on_cut_and_memory_stays_bounded()
    {
        var lines = new List<string>();
        var splitter = new LineSplitter(lines.Add);
        var chunk = new string('x', 8192);
        for (var i = 0; i < 8 * 128; i++) splitter.Push(chunk); // 8 MiB without a newline
        splitter.Push(" accuracy: 0.9\nEpoch 1/1 - accuracy: 0.91\n");
        splitter.End();
        lines.Count.ShouldBe(2);
        lines[0].Length.ShouldBe(LineSplitter.MaxLine + LineSplitter.CutMarker.Length);
        lines[0].ShouldEndWith(LineSplitter.CutMarker);
        lines[1].ShouldBe("Epoch 1/1 - accuracy: 0.91");
        splitter.MostHeld.ShouldBeLessThanOrEqualTo(LineSplitter.MaxLine);
    }

    [Fact]
    public void A_progress_bar_rewritten_with_carriage_returns_keeps_its_last_state()
    {
        var lines = new List<string>();
        var activity = 0;
        var splitter = new LineSplitter(lines.Add, () => activity++);
        splitter.Push(" 10% loss=0.9\r 50% loss=0.5\r100% loss=0.2\r\n");
        splitter.Push("done\r\n");
        splitter.End();
        lines.ShouldBe(["100% loss=0.2", "done"]);
        activity.ShouldBe(2);
    }

    [Fact]
    public void A_last_line_without_a_newline_still_counts()
    {
        var lines = new List<string>();
        var splitter = new LineSplitter(lines.Add);
        splitter.Push("a\nb");
        splitter.End();
        lines.ShouldBe(["a", "b"]);
    }
}

using System.Diagnostics;
using Autotune.Files;
using Autotune.Train.Metrics;

namespace Autotune.Tests.Files;

/// <summary>A FIFO, socket or device is told from a regular file, and a metrics file that is one is never opened.</summary>
public sealed class PathKindTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autotune-pathkind-").FullName;

    /// <summary>A named pipe at <paramref name="name"/> in the scratch folder: opening it to read blocks until something writes.</summary>
    public static string Fifo(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        mkfifo.ExitCode.ShouldBe(0);
        return path;
    }

    [Fact]
    public void A_regular_file_a_folder_a_fifo_a_device_and_nothing_are_each_told_apart()
    {
        var file = Path.Combine(folder, "a.csv");
        File.WriteAllText(file, "epoch,loss\n");

        PathKinds.Of(file).ShouldBe(PathKind.File);
        PathKinds.Of(folder).ShouldBe(PathKind.Folder);
        PathKinds.Of(Fifo(folder, "pipe")).ShouldBe(PathKind.Fifo);
        PathKinds.Of("/dev/null").ShouldBe(PathKind.Device);
        PathKinds.Of(Path.Combine(folder, "none")).ShouldBe(PathKind.Missing);
        PathKind.Fifo.Words().ShouldBe("a named pipe (FIFO)");
    }

    [Fact]
    public void A_link_is_the_kind_of_what_it_leads_to_and_a_dangling_one_is_missing()
    {
        var fifo = Fifo(folder, "pipe");
        File.CreateSymbolicLink(Path.Combine(folder, "to-pipe"), fifo);
        File.CreateSymbolicLink(Path.Combine(folder, "dangling"), Path.Combine(folder, "gone"));

        PathKinds.Of(Path.Combine(folder, "to-pipe")).ShouldBe(PathKind.Fifo);
        PathKinds.Of(Path.Combine(folder, "dangling")).ShouldBe(PathKind.Missing);
    }

    [Fact]
    public async Task A_metrics_file_that_is_a_fifo_is_read_as_absent_without_blocking()
    {
        var fifo = Fifo(folder, "metrics.csv");
        var lines = new List<string>();

        var follow = Task.Run(() =>
        {
            FileTail.FirstLines(fifo, 2).ShouldBeEmpty();
            using var tail = new FileTail(fifo, lines.Add);
            Thread.Sleep(600); // two polls
        });

        (await Task.WhenAny(follow, Task.Delay(TimeSpan.FromSeconds(20)))).ShouldBe(follow, "reading the FIFO blocked");
        await follow;
        lines.ShouldBeEmpty();
    }

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}

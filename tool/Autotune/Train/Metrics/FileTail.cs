using Autotune.Files;

namespace Autotune.Train.Metrics;

/// <summary>
/// Follows a metrics file a program writes, line by line, while it runs (polling: the file may not
/// exist yet, and may be rewritten from the start). What it held before the program started is not read.
/// Only a regular file is opened: a FIFO at the path would block the open, and the trial with it, until
/// something writes to it; it is treated as absent.
/// </summary>
public sealed class FileTail : IDisposable
{
    private readonly string path;
    private readonly Action<string> onLine;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private long position;
    private string partial = "";

    public FileTail(string path, Action<string> onLine)
    {
        this.path = path;
        this.onLine = onLine;
        position = PathKinds.Of(path) == PathKind.File ? new FileInfo(path).Length : 0;
        loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Poll(final: false);
                try { await Task.Delay(250, stop.Token); } catch (OperationCanceledException) { }
            }
        });
    }

    private void Poll(bool final)
    {
        try
        {
            if (PathKinds.Of(path) != PathKind.File) return;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < position) { position = 0; partial = ""; } // rewritten from the start
            stream.Position = position;
            using var reader = new StreamReader(stream);
            var text = partial + reader.ReadToEnd();
            position = stream.Length;
            var lines = text.Split('\n');
            partial = final ? "" : lines[^1];
            if (partial.Length > LineSplitter.MaxLine) partial = ""; // a line without end is no metric line
            foreach (var line in final ? lines : lines[..^1])
                if (line.TrimEnd('\r').Length > 0) onLine(line.TrimEnd('\r'));
        }
        catch (IOException) { } // being replaced: read next time
    }

    /// <summary>The file's first complete lines, at most <paramref name="count"/> (a CSV file's header and first row); none when it cannot be read.</summary>
    public static IReadOnlyList<string> FirstLines(string path, int count)
    {
        if (PathKinds.Of(path) != PathKind.File) return [];
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new char[LineSplitter.MaxLine * count];
            var read = new StreamReader(stream).ReadBlock(buffer, 0, buffer.Length);
            var lines = new string(buffer, 0, read).Split('\n');
            return lines[..^1].Take(count).Select(l => l.TrimEnd('\r')).ToList(); // the last part has no end yet
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    public void Dispose()
    {
        if (stop.IsCancellationRequested) return;
        stop.Cancel();
        loop.Wait();
        Poll(final: true);
        stop.Dispose();
    }
}

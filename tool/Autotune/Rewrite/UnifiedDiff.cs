namespace Autotune.Rewrite;

/// <summary>
/// A unified diff of a rewrite. A rewrite changes one contiguous region (the block), so one hunk
/// over the lines that differ, with three lines of context, is the whole diff.
/// </summary>
public static class UnifiedDiff
{
    /// <summary>The diff of several rewrites, paths shown relative to <paramref name="root"/>; a file that did not exist diffs from /dev/null.</summary>
    public static string Of(string root, IEnumerable<Rewrite> rewrites) =>
        string.Concat(rewrites.Where(r => r.Changes).Select(r =>
        {
            var relative = System.IO.Path.GetRelativePath(root, r.Path).Replace('\\', '/');
            return r.Before.Length == 0 ? NewFile(relative, r.After) : Of(relative, r.Before, r.After);
        }));

    /// <summary>A new file as a diff: every line added.</summary>
    public static string NewFile(string path, string text)
    {
        var lines = text.TrimEnd('\n').Split('\n').Select(l => "+" + l.TrimEnd('\r')).ToList();
        return $"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{lines.Count} @@\n{string.Join("\n", lines)}\n";
    }

    public static string Of(string path, string before, string after, int context = 3)
    {
        if (before == after) return "";
        var a = before.Split('\n');
        var b = after.Split('\n');
        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head]) head++;
        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[^(tail + 1)] == b[^(tail + 1)]) tail++;
        var start = Math.Max(0, head - context);
        var endA = Math.Min(a.Length, a.Length - tail + context);
        var endB = Math.Min(b.Length, b.Length - tail + context);
        if (tail == 0) { a = [.. a, ""]; b = [.. b, ""]; tail = 1; endA = a.Length - 1; endB = b.Length - 1; }
        var s = new StringWriter { NewLine = "\n" };
        s.WriteLine($"--- a/{path}");
        s.WriteLine($"+++ b/{path}");
        s.WriteLine($"@@ -{start + 1},{endA - start} +{start + 1},{endB - start} @@");
        for (var i = start; i < head; i++) s.WriteLine(" " + a[i].TrimEnd('\r'));
        foreach (var line in Middle(a[head..^tail], b[head..^tail])) s.WriteLine(line);
        for (var i = a.Length - tail; i < endA; i++) s.WriteLine(" " + a[i].TrimEnd('\r'));
        return s.ToString();
    }

    /// <summary>The changed region line by line through a longest common subsequence: a block is a few dozen lines.</summary>
    private static IEnumerable<string> Middle(string[] a, string[] b)
    {
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { yield return " " + a[x].TrimEnd('\r'); x++; y++; }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1])) yield return "-" + a[x++].TrimEnd('\r');
            else yield return "+" + b[y++].TrimEnd('\r');
        }
    }
}

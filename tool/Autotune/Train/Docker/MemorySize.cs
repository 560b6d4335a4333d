using System.Globalization;
using Autotune.Cli;

namespace Autotune.Train.Docker;

/// <summary>Memory limits as people write them for Docker: 512m, 2g, 1.5g, 300000000 (bytes).</summary>
public static class MemorySize
{
    public static long Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t.EndsWith('b')) t = t[..^1];
        var (number, factor) = t.Length == 0 ? (t, 1L) : t[^1] switch
        {
            'k' => (t[..^1], 1L << 10),
            'm' => (t[..^1], 1L << 20),
            'g' => (t[..^1], 1L << 30),
            _ => (t, 1L),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || !double.IsFinite(value))
            throw AutotuneException.Invalid($"--memory '{text}' is not a size: write it like 512m or 2g");
        return (long)Math.Round(value * factor);
    }
}

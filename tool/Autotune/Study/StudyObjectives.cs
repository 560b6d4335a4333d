using System.Text.Json;
using Autotune.Cli;

namespace Autotune.Study;

/// <summary>
/// A study's secondary objectives, kept in its settings column beside its constraints as {"minimize": ["params"]}, in the
/// order given (the first decides first). A study made before them has none there, so old stores read unchanged.
/// </summary>
public static class StudyObjectives
{
    public static IReadOnlyList<string> Of(StudyInfo study)
    {
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(study.Settings) ? "{}" : study.Settings);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("minimize", out var list)) return [];
            var names = list.EnumerateArray().Select(e => e.GetString() ?? "").ToList();
            if (names.FirstOrDefault(n => !Search.Target.IsMetricName(n)) is { } bad) throw new ArgumentException($"'{bad}' is no metric name");
            return names;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            throw AutotuneException.Invalid($"study '{study.Name}' has damaged objectives ({e.Message.Split('\n')[0].TrimEnd('.')}): move the store away to start a new study");
        }
    }

    /// <summary>"params, latency_ms", or "none", for messages.</summary>
    public static string Describe(IReadOnlyList<string> minimize) => minimize.Count == 0 ? "none" : string.Join(", ", minimize);
}

using System.Text.Json;
using Autotune.Cli;
using Autotune.Search;

namespace Autotune.Study;

/// <summary>
/// A study's constraints, kept in its settings column as {"constraints": ["params&lt;=200000"]}: a study made
/// before constraints existed has "{}" there and none, so old stores read unchanged and the schema stays.
/// </summary>
public static class StudyConstraints
{
    public static string Write(IReadOnlyList<Constraint> constraints) =>
        constraints.Count == 0 ? "{}" : JsonSerializer.Serialize(new { constraints = constraints.Select(c => c.ToString()).ToArray() });

    public static IReadOnlyList<Constraint> Of(StudyInfo study)
    {
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(study.Settings) ? "{}" : study.Settings);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("constraints", out var list)) return [];
            return list.EnumerateArray().Select(e => Constraint.Parse(e.GetString() ?? "")).ToList();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            throw AutotuneException.Invalid($"study '{study.Name}' has damaged constraints ({e.Message.Split('\n')[0].TrimEnd('.')}): move the store away to start a new study");
        }
    }
}

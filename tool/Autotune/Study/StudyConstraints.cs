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
    /// <summary>The settings column of a new study: its constraints, and its secondary objectives (<see cref="StudyObjectives"/>); a key with nothing to say is left out.</summary>
    public static string Write(IReadOnlyList<Constraint> constraints, IReadOnlyList<string>? minimize = null)
    {
        var settings = new Dictionary<string, string[]>();
        if (constraints.Count > 0) settings["constraints"] = constraints.Select(c => c.ToString()).ToArray();
        if (minimize is { Count: > 0 }) settings["minimize"] = minimize.ToArray();
        return settings.Count == 0 ? "{}" : JsonSerializer.Serialize(settings);
    }

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

namespace Autotune.Detect;

/// <summary>Where a conclusion of Detect comes from: a file (relative to the model folder, '/'-separated), a 1-based line, and what was seen there.</summary>
public sealed record Evidence(string File, int Line, string Why)
{
    public override string ToString() => $"{File}:{Line}: {Why}";
}

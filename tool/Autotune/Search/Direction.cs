namespace Autotune.Search;

/// <summary>Whether a study wants its metric high (accuracy) or low (loss).</summary>
public enum Direction { Maximize, Minimize }

public static class DirectionExtensions
{
    /// <summary>True when <paramref name="a"/> is strictly better than <paramref name="b"/>.</summary>
    public static bool IsBetter(this Direction direction, double a, double b) =>
        direction == Direction.Maximize ? a > b : a < b;

    /// <summary>The value turned so that higher is always better: strategies rank without caring about direction.</summary>
    public static double Score(this Direction direction, double value) =>
        direction == Direction.Maximize ? value : -value;
}

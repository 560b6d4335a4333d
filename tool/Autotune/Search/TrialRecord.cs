namespace Autotune.Search;

/// <summary>
/// What a strategy knows of one trial of the study: its values, its state, and the metric it
/// reported, finally (<paramref name="Value"/>) and per epoch (<paramref name="EpochValues"/>,
/// index 0 is epoch 1).
/// </summary>
public sealed record TrialRecord(
    int Number,
    Assignment Assignment,
    TrialState State,
    double? Value,
    IReadOnlyList<double> EpochValues,
    Direction Direction)
{
    public int EpochsDone => EpochValues.Count;

    /// <summary>
    /// The value strategies rank by: the final value of a completed trial, the last epoch of a
    /// pruned one (it never got a final value); null while running or when it failed.
    /// </summary>
    public double? Objective => State switch
    {
        TrialState.Completed => Finite(Value) ?? LastEpochValue,
        TrialState.Pruned => LastEpochValue ?? Finite(Value),
        _ => null,
    };

    /// <summary>The metric at the end of <paramref name="epoch"/> (1-based), if the trial got that far.</summary>
    public double? ValueAt(int epoch) => epoch >= 1 && epoch <= EpochValues.Count ? Finite(EpochValues[epoch - 1]) : null;

    private double? LastEpochValue => EpochValues.Count > 0 ? Finite(EpochValues[^1]) : null;

    private static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;

    public static TrialRecord Completed(int number, Assignment assignment, double value, Direction direction, IReadOnlyList<double>? epochValues = null) =>
        new(number, assignment, TrialState.Completed, value, epochValues ?? [value], direction);

    public static TrialRecord Pruned(int number, Assignment assignment, IReadOnlyList<double> epochValues, Direction direction) =>
        new(number, assignment, TrialState.Pruned, null, epochValues, direction);
}

namespace Autotune.Search;

/// <summary>
/// What a strategy knows of one trial of the study: its values, its state, and the metric it
/// reported, finally (<paramref name="Value"/>) and per epoch (<paramref name="EpochValues"/>,
/// index 0 is epoch 1). The tune loop builds these from the store's trials; Search knows no store.
/// </summary>
public sealed record SearchTrial(
    int Number,
    Assignment Assignment,
    SearchTrialState State,
    double? Value,
    IReadOnlyList<double> EpochValues,
    Direction Direction)
{
    public int EpochsDone => EpochValues.Count;

    /// <summary>
    /// A second opinion on the trial, lower is better: the program's loss at the trial's last epoch,
    /// when it reports one beside the target's metric. It orders trials whose target values lie
    /// within the metric's noise of each other (<see cref="StudyHistory.Ranked"/>): while the
    /// spirals' accuracy sits at chance, their loss already says which trials have started to learn.
    /// </summary>
    public double? Companion { get; init; }

    /// <summary>
    /// False when the trial broke one of the study's constraints at its last epoch ("params&lt;=200000"):
    /// it ranks after every feasible trial, whatever its value (<see cref="StudyHistory.Ranked"/>).
    /// </summary>
    public bool Feasible { get; init; } = true;

    /// <summary>
    /// The value strategies rank by: the final value of a completed trial, the last epoch of a
    /// pruned one (it never got a final value); null while running or when it failed.
    /// </summary>
    public double? Objective => State switch
    {
        SearchTrialState.Completed => Finite(Value) ?? LastEpochValue,
        SearchTrialState.Pruned => LastEpochValue ?? Finite(Value),
        _ => null,
    };

    /// <summary>The metric at the end of <paramref name="epoch"/> (1-based), if the trial got that far.</summary>
    public double? ValueAt(int epoch) => epoch >= 1 && epoch <= EpochValues.Count ? Finite(EpochValues[epoch - 1]) : null;

    private double? LastEpochValue => EpochValues.Count > 0 ? Finite(EpochValues[^1]) : null;

    private static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;

    public static SearchTrial Completed(int number, Assignment assignment, double value, Direction direction, IReadOnlyList<double>? epochValues = null) =>
        new(number, assignment, SearchTrialState.Completed, value, epochValues ?? [value], direction);

    public static SearchTrial Running(int number, Assignment assignment, Direction direction, IReadOnlyList<double>? epochValues = null) =>
        new(number, assignment, SearchTrialState.Running, null, epochValues ?? [], direction);

    public static SearchTrial Failed(int number, Assignment assignment, Direction direction, IReadOnlyList<double>? epochValues = null) =>
        new(number, assignment, SearchTrialState.Failed, null, epochValues ?? [], direction);

    public static SearchTrial Pruned(int number, Assignment assignment, IReadOnlyList<double> epochValues, Direction direction) =>
        new(number, assignment, SearchTrialState.Pruned, null, epochValues, direction);
}

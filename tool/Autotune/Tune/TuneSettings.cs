using Autotune.Search;

namespace Autotune.Tune;

/// <summary>Everything one `autotune run` is run with, after autotune.json and flags were merged.</summary>
public sealed record TuneSettings(
    Target Target,
    int MaxTrials = 20,
    int? MaxEpochs = null,
    TimeSpan? Timeout = null,
    string Strategy = Strategies.Default,
    int Seed = 0,
    string Device = "auto",
    int Retries = 2,
    bool Apply = true,
    bool Asha = true,
    int PlateauPatience = 3,
    string? StudyName = null,
    TimeSpan? SilenceLimit = null,
    int Parallel = 1,
    Train.Metrics.ProgramOutput? Output = null,
    bool Init = true,
    int? EpochBudget = null,
    IReadOnlyList<Constraint>? Constraints = null,
    string? FromStudy = null,
    IReadOnlyList<string>? Minimize = null,
    bool LongTrials = false,
    Train.BuildCache? BuildCache = null)
{
    /// <summary>The bounds a trial must meet besides the target ("params&lt;=200000"); none by default.</summary>
    public IReadOnlyList<Constraint> ConstraintList => Constraints ?? [];

    /// <summary>Secondary objectives, metrics to minimize in the order given ("params"): they pick the best among trials on target; none by default.</summary>
    public IReadOnlyList<string> MinimizeList => Minimize ?? [];
}
// LongTrials: every trial after the baseline trains the most epochs its space allows and early stopping ends it (Tune/LongTrials.cs);
// `run` turns it on unless --search-epochs; ask/tell leave it off, as their trainers are not stopped early by the study.
// BuildCache: where the first trial's build is filed and found again for an unchanged project (Train/BuildCache.cs);
// `run` uses the one AUTOTUNE_BUILD_CACHE names (off: none); null builds every study with `dotnet build`.
// FromStudy: another model folder whose study's finished trials a new study starts from (--from-study).
// EpochBudget: epochs all trials together may train (null: no such limit); a budget in epochs lets early stopping buy more trials.
// Init: a model without a block is tuned through the block init lifts from its literals (false: --no-init, refused).
// Output: how metrics are read when the project does not use the SDK (null: the defaults for such a project).

public static class TuneSettingsBudget
{
    /// <summary>MaxTrials when only an epoch budget limits the study.</summary>
    public const int NoTrialLimit = int.MaxValue;

    /// <summary>"at most 20 trial(s)", "at most 48 epoch(s)" or both, for the run's first line.</summary>
    public static string BudgetText(this TuneSettings s) => (s.MaxTrials, s.EpochBudget) switch
    {
        (NoTrialLimit, { } epochs) => $"at most {epochs} epoch(s)",
        (var trials, { } epochs) => $"at most {trials} trial(s) or {epochs} epoch(s)",
        (var trials, null) => $"at most {trials} trial(s)",
    };

    /// <summary>
    /// About how many trials the budget buys (trials, or epochs over each trial's epochs), so a
    /// strategy can size its start-up; null when nothing bounds it.
    /// </summary>
    public static int? ExpectedTrials(this TuneSettings s)
    {
        int? byEpochs = s.EpochBudget is { } budget && s.MaxEpochs is { } perTrial ? Math.Max(1, budget / perTrial) : null;
        int? byTrials = s.MaxTrials == NoTrialLimit ? null : s.MaxTrials;
        return byEpochs is { } e && byTrials is { } t ? Math.Min(e, t) : byEpochs ?? byTrials;
    }
}

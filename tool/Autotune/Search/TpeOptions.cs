namespace Autotune.Search;

/// <summary>
/// TPE's settings. The defaults are the variant that won on bench/search (median trials to the
/// target over 60 seeds, five objectives, Optuna 3.1 beside it); `bench/search --variants` runs
/// the alternatives that lost, and bench/RESULTS.md lists them with their numbers.
/// </summary>
public sealed record TpeOptions
{
    /// <summary>Trials with results before the model is trusted (the baseline and the climb count).</summary>
    public int StartupTrials { get; init; } = TpeStrategy.DefaultStartupTrials;

    /// <summary>Draws from l(x) among which the best ratio l/g is picked.</summary>
    public int Candidates { get; init; } = 24;

    /// <summary>
    /// The prior kernel's weight against one trial's, and the share of it every choice gets in each
    /// trial's kernel, so a value the good trials never held keeps a chance. 2 beat Optuna's 1:
    /// with 1 the search settled on one categorical value more often.
    /// </summary>
    public double PriorWeight { get; init; } = 2.0;

    /// <summary>The good share of trials: ceil(GammaFraction x n), at most GammaCap (Optuna: 0.1 and 25; 0.25 won here).</summary>
    public double GammaFraction { get; init; } = 0.25;
    public int GammaCap { get; init; } = 25;

    /// <summary>The climb ends after this many trials with results at the latest (twice the start-up unless set).</summary>
    public int? ClimbLimit { get; init; }
    public int ClimbTrials => ClimbLimit ?? 2 * StartupTrials;

    /// <summary>Older trials count less once there are more than 25 (as Optuna's default_weights).</summary>
    public bool RampWeights { get; init; } = true;

    /// <summary>Every this many trials after the start-up (0: never) a step from the best trial instead of a TPE draw.</summary>
    public int LocalEvery { get; init; } = 2;

    /// <summary>The local step's width as a share of each axis, before it narrows.</summary>
    public double LocalRadius { get; init; } = 0.1;

    /// <summary>The factor the width narrows by for every trial since the best was found, down to LocalMinRadius.</summary>
    public double LocalDecay { get; init; } = 0.9;
    public double LocalMinRadius { get; init; } = 0.005;

    /// <summary>The chance that a local step moves each numeric value (each choice moves with 1/parameters).</summary>
    public double LocalNumericShare { get; init; } = 1.0;

    /// <summary>
    /// Every this many trials after the start-up (0: never), a capacity step from the best trial instead of a TPE
    /// draw: one integer or numeric choice, picked at random among those that can grow, to its next larger value
    /// (grow's step). TPE and the walk stay near the good trials' values; "the best, trained longer or wider" is
    /// what a person tries next, and what they seldom propose once the good trials agree on a small value.
    /// </summary>
    public int ReclimbEvery { get; init; }

    public int GoodCount(int n) => Math.Min((int)Math.Ceiling(GammaFraction * n), GammaCap);

    public void Validate()
    {
        if (StartupTrials < 1) throw new ArgumentOutOfRangeException(nameof(StartupTrials), "TPE needs at least one start-up trial.");
        if (GammaFraction is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(GammaFraction), "gamma is a fraction between 0 and 1.");
        if (GammaCap < 1) throw new ArgumentOutOfRangeException(nameof(GammaCap), "at least one trial must count as good.");
        if (Candidates < 1) throw new ArgumentOutOfRangeException(nameof(Candidates), "TPE needs at least one candidate.");
        if (PriorWeight <= 0) throw new ArgumentOutOfRangeException(nameof(PriorWeight), "the prior weight must be positive.");
        if (LocalEvery < 0 || LocalRadius <= 0 || LocalDecay is <= 0 or > 1 || LocalNumericShare is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(LocalEvery), "the local walk's settings are out of range.");
    }
}

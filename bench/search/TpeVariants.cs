using Autotune.Search;

/// <summary>
/// TPE settings side by side (`--variants`): how TpeOptions' defaults were chosen. Each variant
/// changes one thing from the defaults; the ones that lost are kept here so the comparison can be run again.
/// </summary>
static class TpeVariants
{
    public static (string Name, Func<IStrategy> Create)[] All(int budget)
    {
        var defaults = new TpeOptions { StartupTrials = TpeStrategy.StartupFor(budget) };
        (string, Func<IStrategy>) V(string name, TpeOptions o) => (name, () => new TpeStrategy(o));
        return
        [
            V("optuna's gamma 0.1", defaults with { GammaFraction = 0.1 }),
            V("optuna's prior weight 1", defaults with { PriorWeight = 1 }),
            V("no local walk", defaults with { LocalEvery = 0 }),
            V("local walk every 3rd", defaults with { LocalEvery = 3 }),
            V("walk moves half the numbers", defaults with { LocalNumericShare = 0.5 }),
            V("no climb", defaults with { ClimbLimit = 0 }),
            V("start-up 6", defaults with { StartupTrials = 6 }),
            V("48 candidates", defaults with { Candidates = 48 }),
            V("walk radius 0.15, decay 0.85", defaults with { LocalRadius = 0.15, LocalDecay = 0.85 }),
            V("walk radius 0.05", defaults with { LocalRadius = 0.05 }),
            V("climb at most 10", defaults with { ClimbLimit = 10 }),
            V("gamma 0.2", defaults with { GammaFraction = 0.2 }),
            V("re-climb every 4th", defaults with { ReclimbEvery = 4 }),
            V("re-climb every 6th", defaults with { ReclimbEvery = 6 }),
        ];
    }
}

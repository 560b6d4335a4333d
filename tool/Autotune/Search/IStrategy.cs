namespace Autotune.Search;

/// <summary>
/// A search strategy: reads the study so far and proposes the next values to try. Pure: the same
/// space, history and random state give the same proposal, so a resumed study proposes what the
/// killed one would have. Every strategy's first proposal is the code's current values, the baseline.
/// </summary>
public interface IStrategy
{
    /// <summary>The name <c>--strategy</c> takes.</summary>
    string Name { get; }

    /// <summary>
    /// The next assignment to try, or null when the strategy has nothing more to propose given this
    /// history (grow converged, a finite space exhausted). With trials still running, a null may
    /// change once they finish: ask again then.
    /// </summary>
    Assignment? Propose(SearchSpace space, IReadOnlyList<SearchTrial> history, Random rng);
}

namespace Autotune.Search;

/// <summary>
/// Random search: after the baseline, every parameter drawn uniformly from its domain. The yardstick
/// other strategies must beat, and hard to beat with few parameters.
/// </summary>
public sealed class RandomStrategy : IStrategy
{
    public string Name => "random";

    public Assignment? Propose(SearchSpace space, IReadOnlyList<SearchTrial> history, Random rng) =>
        history.NeedsBaseline(space) ? space.Current() : Domains.SampleUntried(space, history, rng);
}

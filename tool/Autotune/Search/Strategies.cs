namespace Autotune.Search;

/// <summary>The strategies by the name <c>--strategy</c> takes.</summary>
public static class Strategies
{
    public const string Default = "tpe";

    public static IReadOnlyList<string> Names { get; } = ["tpe", "random", "grow"];

    /// <summary>
    /// A strategy with its default settings, sized for about <paramref name="expectedTrials"/> trials
    /// when the budget says (TPE's start-up); an unknown name says which names exist.
    /// </summary>
    public static IStrategy Create(string name, int? expectedTrials = null) => name.Trim().ToLowerInvariant() switch
    {
        "tpe" => new TpeStrategy(TpeStrategy.StartupFor(expectedTrials)),
        "random" => new RandomStrategy(),
        "grow" => new GrowStrategy(),
        _ => throw new ArgumentException($"Unknown strategy '{name}': use one of {string.Join(", ", Names)}."),
    };
}

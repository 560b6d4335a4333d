namespace Autotune.Tests.Support;

/// <summary>tests/programs/toy-tuner: a model program with a block whose epochs are instant and whose score is a known curve.</summary>
public static class ToyTuner
{
    public static string Folder { get; } = Path.Combine(Tool.RepositoryRoot, "tests", "programs", "toy-tuner");

    /// <summary>Score peaks at 1 (LearningRate 0.003, Width 32); the block's own values reach about 0.63 after 3 epochs.</summary>
    public const string Target = "score>=0.8";

    public static string NewStudy(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];
}

/// <summary>Tests that tune the toy share its workspace and build folders, so they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ToyTunerCollection
{
    public const string Name = "toy tuner";
}

namespace Autotune.Tests.Support;

/// <summary>Real MNIST, fetched by samples/mnist-cnn/fetch-mnist.sh (which .ci/run calls).</summary>
public static class Mnist
{
    public static string Folder =>
        Environment.GetEnvironmentVariable("MNIST_DIR") is { Length: > 0 } d ? d
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } c ? c
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "autotune", "mnist");

    public static string SampleFolder => Path.Combine(Tool.RepositoryRoot, "samples", "mnist-cnn");

    /// <summary>Fails with what to do, rather than skipping: CI always has the data.</summary>
    public static void Require()
    {
        if (!File.Exists(Path.Combine(Folder, "train-images-idx3-ubyte")))
            throw new InvalidOperationException($"MNIST is not in {Folder}: run samples/mnist-cnn/fetch-mnist.sh (bash .ci/run does)");
    }
}

/// <summary>Tests that build and train the MNIST sample share its build folder, so they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SampleCollection
{
    public const string Name = "MNIST sample";
}

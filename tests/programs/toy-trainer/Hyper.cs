using Autotune;

namespace ToyTrainer;

/// <summary>What `autotune run` may tune in the toy: enough for a short study in a test.</summary>
[Hyperparameters]
public static class Hyper
{
    [LogRange(1e-3, 3e-2)] public const double LearningRate = 0.01;
    [Range(1, 6)]          public const int    Epochs       = 4;
}

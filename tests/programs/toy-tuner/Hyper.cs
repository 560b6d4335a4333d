using Autotune;

namespace ToyTuner;

/// <summary>The toy's search space: the score peaks at LearningRate 0.003 and Width 32.</summary>
[Hyperparameters]
public static class Hyper
{
    [LogRange(1e-4, 1e-1)]    public const double LearningRate = 1e-2;
    [Choice(8, 16, 32, 64)]   public const int    Width        = 8;
    [Range(1, 6)]             public const int    Epochs       = 3;
}

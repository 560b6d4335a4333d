using Autotune;

namespace Cnn;

[Hyperparameters]
public static class Hyper
{
    [Range(1, 4)]           public const int    Layers       = 2;
    [Choice(32, 64, 128)]   public const int    Width        = 64;
    [LogRange(1e-4, 1e-1)]  public const double LearningRate = 1e-3;
}

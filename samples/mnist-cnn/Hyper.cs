using Autotune;

namespace MnistCnn;

/// <summary>
/// Everything autotune may change, with its search space next to its value. These miss 99.0 % (98.6 %).
/// The architecture is tuned too: Net loops over ConvLayers and switches on Pooling.
/// </summary>
[Hyperparameters]
public static class Hyper
{
    [Range(1, 3)]               public const int    ConvLayers   = 1;
    [Choice(8, 16, 32, 64)]     public const int    Filters      = 16;
    [Choice(3, 5)]              public const int    KernelSize   = 5;
    [Choice("max", "avg")]      public const string Pooling      = "max";
    [Choice(32, 64, 128, 256)]  public const int    DenseUnits   = 128;
    [Range(0.0, 0.5)]           public const double Dropout      = 0.25;
    [LogRange(1e-4, 1e-2)]      public const double LearningRate = 1e-3;
    [Choice(32, 64, 128, 256)]  public const int    BatchSize    = 64;
    [Range(1, 12)]              public const int    Epochs       = 3;
}

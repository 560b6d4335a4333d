using Autotune;

namespace ConditionalOptimizer;

/// <summary>Momentum means something to SGD only: with Adam it stays at the code's value and is never searched.</summary>
[Hyperparameters]
public static class Hyper
{
    [Choice("adam", "sgd")]                                    public const string Optimizer = "adam";
    [Range(0.0, 0.95)] [When(nameof(Optimizer), "sgd")]        public const double Momentum  = 0.0;
}

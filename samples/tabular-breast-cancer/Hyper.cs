using Autotune;

namespace BreastCancer;

/// <summary>
/// What autotune may change in the boosted trees, with its search space next to its value. The values
/// below are a deliberately timid start (few shallow trees, a small step, large leaves): they miss the
/// sample's target, and tuning finds values that reach it.
/// </summary>
[Hyperparameters]
public static class Hyper
{
    [Range(5, 400)]          public const int    NumberOfTrees              = 10;
    [Range(2, 64)]           public const int    NumberOfLeaves             = 2;
    [LogRange(0.005, 0.5)]   public const double LearningRate               = 0.01;
    [Range(1, 60)]           public const int    MinimumExampleCountPerLeaf = 50;
    [Range(0.3, 1.0)]        public const double FeatureFraction            = 1.0;
}

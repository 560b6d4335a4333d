namespace Autotune.Search;

/// <summary>How a target compares the metric with its value.</summary>
public enum Comparison { Greater, GreaterOrEqual, Less, LessOrEqual }

namespace Autotune;

/// <summary>Marks the one static class that holds a model's tunable values as <c>const</c> fields.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class HyperparametersAttribute : Attribute;

/// <summary>An integer or real range, both ends included. <c>Step</c> (integers) thins the grid.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
public sealed class RangeAttribute : Attribute
{
    public RangeAttribute(long min, long max) { Min = min; Max = max; }
    public RangeAttribute(double min, double max) { Min = min; Max = max; }
    public double Min { get; }
    public double Max { get; }
    public double Step { get; init; }
}

/// <summary>A positive real range searched on a log scale (learning rates, weight decay).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
public sealed class LogRangeAttribute(double min, double max) : Attribute
{
    public double Min { get; } = min;
    public double Max { get; } = max;
}

/// <summary>A categorical choice among literal values of the parameter's type.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
public sealed class ChoiceAttribute(params object[] values) : Attribute
{
    public IReadOnlyList<object> Values { get; } = values;
}

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

/// <summary>
/// Makes a parameter conditional: it applies only while another parameter of the block, named by
/// <paramref name="parameter"/> (write <c>nameof(Optimizer)</c>), has one of <paramref name="values"/>:
/// <c>[When(nameof(Optimizer), "sgd", "rmsprop")] ... Momentum</c>. For a number, <see cref="AtLeast"/>
/// instead makes it apply while the other is at least that value, a width per layer that exists up to
/// <c>ConvLayers</c>: <c>[When(nameof(ConvLayers), AtLeast = 3)] ... Filters3</c>. A parameter whose
/// parent is inactive is inactive too. Search draws an inactive parameter never (it keeps the code's
/// value, and the block is still written whole), trials that differ only in inactive parameters are
/// one trial, and TPE learns each parameter from the trials where it applied. A condition that names
/// no parameter, a value outside that parameter's space, or a cycle of conditions is refused (exit 2).
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
public sealed class WhenAttribute(string parameter, params object[] values) : Attribute
{
    /// <summary>The parameter of the block this one depends on.</summary>
    public string Parameter { get; } = parameter;

    /// <summary>The values of that parameter under which this one applies (empty with <see cref="AtLeast"/>).</summary>
    public IReadOnlyList<object> Values { get; } = values;

    /// <summary>Applies while the other (a number) is at least this; NaN (unset) to use <see cref="Values"/>.</summary>
    public double AtLeast { get; init; } = double.NaN;
}

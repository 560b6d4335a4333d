namespace Autotune.Search;

/// <summary>
/// A numeric domain seen as one real axis, so strategies can work in continuous space and round
/// at the end: log-scaled where the domain says Log, and for integers each allowed value owns the
/// interval of half a step either side (its bucket), so every value is equally reachable.
/// </summary>
internal sealed class NumericAxis
{
    private readonly IntRange? ints;
    private readonly RealRange? reals;
    private readonly bool log;
    private readonly long lastInt;

    /// <summary>The axis runs from Low to High (log units where the domain is Log).</summary>
    public double Low { get; }
    public double High { get; }
    public double Width => High - Low;
    public bool IsInteger => ints is not null;

    private NumericAxis(IntRange? ints, RealRange? reals)
    {
        this.ints = ints;
        this.reals = reals;
        if (ints is not null)
        {
            var step = Math.Max(1, ints.Step);
            lastInt = ints.Min + Math.Max(0, (ints.Max - ints.Min) / step) * step;
            log = ints.Log && ints.Min > 0; // a log scale needs positive values; otherwise search linearly
            Low = Transform(LowerEdge(ints.Min));
            High = Transform(lastInt + step / 2.0);
        }
        else
        {
            log = reals!.Log && reals.Min > 0;
            Low = Transform(reals.Min);
            High = Transform(Math.Max(reals.Min, reals.Max));
        }
    }

    /// <summary>The axis of an IntRange or a RealRange; null for a Choice.</summary>
    public static NumericAxis? For(Domain domain) => domain switch
    {
        IntRange i => new NumericAxis(i, null),
        RealRange r => new NumericAxis(null, r),
        _ => null,
    };

    /// <summary>Where a value lies on the axis, clamped to it; NaN for a value that is not a number.</summary>
    public double ToAxis(object value)
    {
        double v;
        try { v = value is IConvertible c and not string and not bool ? c.ToDouble(null) : double.NaN; }
        catch (FormatException) { v = double.NaN; }
        if (!double.IsFinite(v)) return double.NaN;
        if (log && v <= 0) return Low;
        return Math.Clamp(Transform(v), Low, High);
    }

    /// <summary>The domain value at this point of the axis: rounded to the step and kept in range.</summary>
    public object FromAxis(double x)
    {
        x = Math.Clamp(x, Low, High);
        var v = log ? Math.Exp(x) : x;
        if (ints is null) return Math.Clamp(v, reals!.Min, Math.Max(reals.Min, reals.Max));
        var step = Math.Max(1, ints.Step);
        var k = Math.Round((v - ints.Min) / step, MidpointRounding.AwayFromZero);
        var value = ints.Min + (long)k * step;
        return Math.Clamp(value, ints.Min, lastInt);
    }

    /// <summary>The stretch of axis that rounds to this integer value; null for reals, which have no buckets.</summary>
    public (double From, double To)? Bucket(object value)
    {
        if (ints is null || value is not long v) return null;
        var step = Math.Max(1, ints.Step);
        var from = Math.Max(Low, Transform(v == ints.Min ? LowerEdge(v) : v - step / 2.0));
        var to = Math.Min(High, Transform(v + step / 2.0));
        return (from, Math.Max(from, to));
    }

    private double LowerEdge(long min)
    {
        var step = Math.Max(1, ints!.Step);
        // On a log scale half a step below Min may be zero or less: then the smallest value gets half its own size.
        var edge = min - step / 2.0;
        return log && edge <= 0 ? min / 2.0 : edge;
    }

    private double Transform(double v) => log ? Math.Log(v) : v;
}

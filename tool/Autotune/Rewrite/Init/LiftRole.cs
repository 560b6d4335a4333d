using System.Globalization;
using Autotune.Search;

namespace Autotune.Rewrite.Init;

/// <summary>What a lifted literal means to the model; it decides the parameter's default search space.</summary>
public enum LiftRole
{
    /// <summary>A layer's width: units, filters, channels, hidden size.</summary>
    Width,
    /// <summary>A convolution's kernel size.</summary>
    Kernel,
    /// <summary>A number of layers or blocks.</summary>
    Layers,
    Dropout,
    LearningRate,
    BatchSize,
    Epochs,
    /// <summary>Trees or boosting iterations of an ML.NET ensemble.</summary>
    Trees,
    Leaves,
    MinExamplesPerLeaf,
    /// <summary>A string the code switches on: the switch's labels are the choice.</summary>
    Option,
}

/// <summary>
/// Names to roles and roles to default search spaces. Names are compared without case and without
/// underscores, so <c>learning_rate</c>, <c>learningRate</c> and <c>LearningRate</c> are one name.
/// </summary>
public static class LiftRoles
{
    public static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>The role a parameter, argument or variable of this name plays, or null when the name says nothing sure.</summary>
    public static LiftRole? FromName(string name)
    {
        var n = Normalize(name);
        if (n is "lr" or "learningrate" or "learnrate" or "initiallearningrate" or "baselr") return LiftRole.LearningRate;
        if (n.Contains("dropout", StringComparison.Ordinal)) return LiftRole.Dropout;
        if (n is "epochs" or "numepochs" or "epochcount" or "maxepochs" or "nepochs" or "totalepochs" or "trainingepochs" or "numberofepochs") return LiftRole.Epochs;
        if (n is "batchsize" or "minibatchsize" or "trainbatchsize" or "bs") return LiftRole.BatchSize;
        if (n is "numberoftrees" or "numtrees" or "ntrees" or "treecount" or "numberofiterations" or "numiterations" or "nestimators") return LiftRole.Trees;
        if (n is "numberofleaves" or "numleaves" or "maxleaves" or "leafcount") return LiftRole.Leaves;
        if (n is "minimumexamplecountperleaf" or "minexamplesperleaf" or "minsamplesleaf" or "mindatainleaf") return LiftRole.MinExamplesPerLeaf;
        if (n.EndsWith("layers", StringComparison.Ordinal) || n is "depth" or "numblocks" or "blocks" or "blockcount") return LiftRole.Layers;
        if (n.Contains("kernel", StringComparison.Ordinal)) return LiftRole.Kernel;
        if (n.Contains("units", StringComparison.Ordinal) || n.Contains("filters", StringComparison.Ordinal) || n.Contains("neurons", StringComparison.Ordinal)
            || n.StartsWith("hidden", StringComparison.Ordinal) || n is "width" or "outchannels" or "outputchannels" or "outputchannel" or "outfeatures"
                or "outputsize" or "outsize" or "embeddingdim" or "embeddim" or "hiddendim" or "dmodel" or "channels")
            return LiftRole.Width;
        return null;
    }

    /// <summary>The parameter name a role suggests when the code offers none better ("lr" reads as LearningRate).</summary>
    public static string PreferredName(string hint, LiftRole role) => Normalize(hint) switch
    {
        "lr" or "baselr" => "LearningRate",
        "bs" => "BatchSize",
        "p" when role == LiftRole.Dropout => "Dropout",
        _ => Pascal(hint),
    };

    /// <summary>"dense_units" and "denseUnits" to "DenseUnits"; a result that is not an identifier falls back to the role.</summary>
    public static string Pascal(string name)
    {
        var parts = name.Split(['_', '-', ' ', '.'], StringSplitOptions.RemoveEmptyEntries);
        var text = string.Concat(parts.Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        return text.Length > 0 && (char.IsLetter(text[0]) || text[0] == '_') && text.All(c => char.IsLetterOrDigit(c) || c == '_') ? text : "Value";
    }

    /// <summary>
    /// The default search space around the value the code has: powers of two for widths and batch
    /// sizes, odd kernels, a decade either side for learning rates, up to twice the value for counts.
    /// Every space holds the current value, so the code as it is stays a point of the search.
    /// </summary>
    public static Domain? DefaultDomain(LiftRole role, object value, IReadOnlyList<object>? options)
    {
        switch (role)
        {
            case LiftRole.Width or LiftRole.BatchSize when value is long v && v >= 1:
                return new Choice(PowersOfTwoAround(v).Cast<object>().ToList());
            case LiftRole.Kernel when value is long v && v >= 1:
                return new Choice(new long[] { 3, 5, 7, v }.Distinct().Order().Cast<object>().ToList());
            case LiftRole.Layers or LiftRole.Epochs when value is long v && v >= 1:
                return new IntRange(1, Math.Max(2 * v, 2));
            case LiftRole.Trees when value is long v && v >= 1:
                return new IntRange(Math.Max(1, v / 4), 4 * v, Log: true);
            case LiftRole.Leaves when value is long v && v >= 2:
                return new IntRange(2, 4 * v, Log: true);
            case LiftRole.MinExamplesPerLeaf when value is long v && v >= 1:
                return new IntRange(1, Math.Max(4 * v, 2), Log: true);
            case LiftRole.Dropout when value is double d && d >= 0 && d < 1:
                return new RealRange(0.0, Math.Max(0.5, d));
            case LiftRole.LearningRate when value is double d && d > 0 && double.IsFinite(d):
                return new RealRange(Round(d / 10), Round(d * 10), Log: true);
            case LiftRole.Option when value is string s && options is { Count: >= 2 } && options.Contains(s):
                return new Choice(options);
            default:
                return null;
        }
    }

    /// <summary>Powers of two from a quarter to four times the value, and the value itself.</summary>
    private static IEnumerable<long> PowersOfTwoAround(long v)
    {
        var set = new SortedSet<long> { v };
        for (long p = 1; p <= 4 * v && p > 0; p *= 2)
            if (p * 4 >= v) set.Add(p);
        return set;
    }

    /// <summary>1e-3 / 10 is 1.0000000000000001E-04 in binary; bounds read better, and read back the same, at 12 digits.</summary>
    private static double Round(double d) => double.Parse(d.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

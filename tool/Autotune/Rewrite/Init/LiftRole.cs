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
    /// <summary>An optimizer's momentum (SGD, RMSProp).</summary>
    Momentum,
    /// <summary>An optimizer's weight decay (L2 penalty).</summary>
    WeightDecay,
    /// <summary>Adam's first-moment decay (beta1).</summary>
    Beta1,
    /// <summary>Adam's second-moment decay (beta2).</summary>
    Beta2,
    BatchSize,
    Epochs,
    /// <summary>Epochs without improvement before early stopping (or before a plateau schedule acts).</summary>
    Patience,
    /// <summary>Epochs between a step schedule's learning-rate drops.</summary>
    StepSize,
    /// <summary>The factor a schedule multiplies the learning rate by.</summary>
    Gamma,
    /// <summary>Trees or boosting iterations of an ML.NET ensemble.</summary>
    Trees,
    Leaves,
    MinExamplesPerLeaf,
    /// <summary>An L1 or L2 penalty of an ML.NET linear trainer (SDCA, L-BFGS).</summary>
    Regularization,
    /// <summary>The most passes an iterative (non-ensemble) trainer makes over the data.</summary>
    Iterations,
    /// <summary>The share of features or rows each tree or round sees (FeatureFraction, bagging).</summary>
    Fraction,
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
        if (n is "lr" or "learningrate" or "learnrate" or "initiallearningrate" or "baselr" or "maxlr" or "maxlearningrate" or "peaklr") return LiftRole.LearningRate;
        if (n is "l1regularization" or "l2regularization" or "l1weight" or "l2weight" or "l1penalty" or "l2regularizationweight" or "l1regularizationweight") return LiftRole.Regularization;
        if (n is "maximumnumberofiterations" or "maxiterations" or "maxiter" or "maxiters" or "numberofpasses") return LiftRole.Iterations;
        if (n is "featurefraction" or "baggingfraction" or "subsamplefraction" or "subsample" or "colsamplebytree" or "featuresubsample") return LiftRole.Fraction;
        if (n.Contains("dropout", StringComparison.Ordinal)) return LiftRole.Dropout;
        if (n is "momentum") return LiftRole.Momentum;
        if (n is "weightdecay" or "wd" or "l2" or "l2penalty") return LiftRole.WeightDecay;
        if (n is "beta1") return LiftRole.Beta1;
        if (n is "beta2") return LiftRole.Beta2;
        if (n is "patience" or "earlystoppingpatience" or "earlystoppatience" or "stoppatience") return LiftRole.Patience;
        if (n is "stepsize" or "lrstepsize" or "lrstep" or "decaysteps") return LiftRole.StepSize;
        if (n is "gamma" or "lrgamma") return LiftRole.Gamma;
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
        "wd" => "WeightDecay",
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
    /// The default search space around the value the code has (docs/rewrite.md has the table): wide
    /// enough to hold the good region of a value nobody tuned yet, and every space holds the current
    /// value, so the code as it is stays a point of the search.
    /// </summary>
    /// <paramref name="rateCeiling"/>: the most a learning rate below 1 is searched up to (<see cref="AbsentArguments.RateCeiling"/>).
    public static Domain? DefaultDomain(LiftRole role, object value, IReadOnlyList<object>? options, double rateCeiling = 1.0)
    {
        switch (role)
        {
            case LiftRole.Width when value is long v && v >= 1:
                return new Choice(PowersOfTwo(Math.Max(1, (v + 3) / 4), 8 * v, v).Cast<object>().ToList());
            case LiftRole.BatchSize when value is long v && v >= 1:
                return new Choice(PowersOfTwo(16, 1024, v).Cast<object>().ToList());
            case LiftRole.Kernel when value is long v && v >= 1:
                return new Choice(new long[] { 3, 5, 7, v }.Distinct().Order().Cast<object>().ToList());
            case LiftRole.Layers when value is long v && v >= 1:
                return new IntRange(1, Math.Max(2 * v, 2));
            // Never fewer epochs than the code trains: a study is after a target the code misses, and ASHA and the
            // plateau rule already end a trial that stops paying, so proposing fewer only spends trials (bench/foreign:
            // a quarter of the trials of a 4-epoch program trained 2 or 3 and could not reach its target).
            case LiftRole.Epochs when value is long v && v >= 1:
                return new IntRange(v, Math.Max(4 * v, 2));
            case LiftRole.Patience when value is long v && v >= 1:
                return new IntRange(1, Math.Max(4 * v, 2));
            case LiftRole.StepSize when value is long v && v >= 1:
                return new IntRange(Math.Max(1, v / 4), Math.Max(4 * v, 2), Log: true);
            // Ensembles are good from tens to hundreds of trees and tens of leaves (ML.NET's defaults are 100
            // and 20, LightGBM's 31 leaves); code written with 4 trees must still reach that region.
            case LiftRole.Trees when value is long v && v >= 1:
                return new IntRange(Math.Max(1, v / 4), Math.Max(4 * v, 500), Log: true);
            case LiftRole.Leaves when value is long v && v >= 2:
                return new IntRange(2, Math.Max(4 * v, 64), Log: true);
            case LiftRole.MinExamplesPerLeaf when value is long v && v >= 1:
                return new IntRange(1, Math.Max(4 * v, 2), Log: true);
            case LiftRole.Dropout when value is double d && d >= 0 && d < 1:
                return new RealRange(0.0, Math.Max(0.5, d));
            case LiftRole.LearningRate when value is double d && d > 0 && double.IsFinite(d):
                // Two decades either side; a rate below 1 stays below the ceiling: 1, or 10 for an optimizer whose own default is 1.
                return new RealRange(Round(d / 100), d < 1 ? Math.Min(Round(d * 100), rateCeiling) : Round(d * 100), Log: true);
            case LiftRole.Momentum when value is double d && d >= 0 && d < 1:
                return new RealRange(0.0, Math.Max(0.99, d));
            case LiftRole.WeightDecay when value is double d && d == 0:
                // No decay cannot be a log range's point: the choice keeps "none" and spans the decades around the usual values.
                return new Choice([0.0, 1e-5, 1e-4, 1e-3, 1e-2]);
            case LiftRole.WeightDecay when value is double d && d > 0 && d < 1:
                return new RealRange(Round(d / 100), Math.Max(d, Math.Min(Round(d * 100), 0.1)), Log: true);
            case LiftRole.Beta1 when value is double d && d > 0 && d < 1:
                return new RealRange(Math.Min(0.8, d), Math.Max(0.99, d));
            case LiftRole.Beta2 when value is double d && d > 0 && d < 1:
                return new RealRange(Math.Min(0.9, d), Math.Max(0.9999, d));
            case LiftRole.Gamma when value is double d && d > 0 && d < 1:
                return new RealRange(Math.Min(0.1, d), Math.Max(0.99, d));
            case LiftRole.Regularization when value is double d && d > 0 && double.IsFinite(d):
                return new RealRange(Round(d / 100), Round(d * 100), Log: true);
            case LiftRole.Regularization when value is double d && d == 0:
                return new Choice([0.0, 1e-4, 1e-3, 1e-2, 1e-1, 1.0]);
            case LiftRole.Iterations when value is long v && v >= 1:
                return new IntRange(Math.Max(1, v / 4), Math.Max(4 * v, 100), Log: true);
            case LiftRole.Fraction when value is double d && d > 0 && d <= 1:
                return new RealRange(Math.Min(0.3, d), 1.0);
            case LiftRole.Option when value is string s && options is { Count: >= 2 } && options.Contains(s):
                return new Choice(options);
            default:
                return null;
        }
    }

    /// <summary>The powers of two from <paramref name="min"/> to <paramref name="max"/>, and the value itself.</summary>
    private static IEnumerable<long> PowersOfTwo(long min, long max, long v)
    {
        var set = new SortedSet<long> { v };
        for (long p = 1; p <= max && p > 0; p *= 2)
            if (p >= min) set.Add(p);
        return set;
    }

    /// <summary>1e-3 / 10 is 1.0000000000000001E-04 in binary; bounds read better, and read back the same, at 12 digits.</summary>
    private static double Round(double d) => double.Parse(d.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

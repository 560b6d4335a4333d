namespace Autotune.Rewrite.Init;

/// <summary>
/// The positional parameters of the framework calls whose literals mean something, so that
/// <c>Linear(784, 128)</c> and <c>optim.Adam(p, 1e-3)</c> are read without compiling. "@in"/"@out" are a
/// layer's widths, "@kernel"/"@padding" a convolution's, the rest are names <see cref="LiftRoles"/> reads.
/// </summary>
public static class KnownApis
{
    private static readonly string[] Conv = ["@in", "@out", "@kernel", "stride", "@padding"];
    // TorchSharp's optimizers (torch.optim), in their own parameter order; "eps", "rho", "alpha" and the like name no role and stay.
    private static readonly string[] AdamLike = ["params", "lr", "beta1", "beta2", "eps", "weight_decay"];
    private static readonly string[] Recurrent = ["@in", "@out", "numLayers"];
    private static readonly string[] Trees = ["labelColumnName", "featureColumnName", "exampleWeightColumnName", "numberOfLeaves", "numberOfTrees", "minimumExampleCountPerLeaf", "learningRate"];

    private static readonly Dictionary<string, string[]> Positional = new(StringComparer.Ordinal)
    {
        // TorchSharp torch.nn
        ["Linear"] = ["@in", "@out"],
        ["Conv1d"] = Conv, ["Conv2d"] = Conv, ["Conv3d"] = Conv,
        ["ConvTranspose1d"] = Conv, ["ConvTranspose2d"] = Conv, ["ConvTranspose3d"] = Conv,
        ["BatchNorm1d"] = ["@in"], ["BatchNorm2d"] = ["@in"], ["BatchNorm3d"] = ["@in"],
        ["InstanceNorm1d"] = ["@in"], ["InstanceNorm2d"] = ["@in"], ["InstanceNorm3d"] = ["@in"],
        ["Embedding"] = ["numEmbeddings", "@out"],
        ["LSTM"] = Recurrent, ["GRU"] = Recurrent, ["RNN"] = Recurrent,
        ["LSTMCell"] = ["@in", "@out"], ["GRUCell"] = ["@in", "@out"], ["RNNCell"] = ["@in", "@out"],
        ["Dropout"] = ["dropout"], ["Dropout1d"] = ["dropout"], ["Dropout2d"] = ["dropout"], ["Dropout3d"] = ["dropout"],
        ["AlphaDropout"] = ["dropout"], ["FeatureAlphaDropout"] = ["dropout"],
        ["dropout"] = ["input", "dropout"], ["dropout2d"] = ["input", "dropout"],
        ["Adam"] = AdamLike, ["AdamW"] = AdamLike, ["Adamax"] = AdamLike, ["NAdam"] = AdamLike, ["RAdam"] = AdamLike,
        ["SGD"] = ["params", "learningRate", "momentum", "dampening", "weight_decay"],
        ["RMSProp"] = ["params", "lr", "alpha", "eps", "weight_decay", "momentum"],
        ["Adagrad"] = ["params", "lr", "lr_decay", "weight_decay"],
        ["Adadelta"] = ["params", "lr", "rho", "eps", "weight_decay"],
        ["ASGD"] = ["params", "lr", "lambd", "alpha", "t0", "weight_decay"],
        ["Rprop"] = ["params", "lr"],
        // torch.optim.lr_scheduler
        ["StepLR"] = ["optimizer", "step_size", "gamma"],
        ["MultiStepLR"] = ["optimizer", "milestones", "gamma"],
        ["ExponentialLR"] = ["optimizer", "gamma"],
        ["ReduceLROnPlateau"] = ["optimizer", "mode", "gamma", "patience"],
        // torch.utils.data
        ["DataLoader"] = ["dataset", "batchSize"],
        // Autotune SDK: Trial.Epochs(declared)
        ["Epochs"] = ["epochs"],
        // ML.NET trainers (catalog extension methods; the receiver is not an argument)
        ["FastTree"] = Trees, ["FastTreeTweedie"] = Trees, ["FastForest"] = Trees[..6],
        ["SdcaLogisticRegression"] = ["labelColumnName", "featureColumnName", "exampleWeightColumnName", "l2Regularization", "l1Regularization", "maximumNumberOfIterations"],
        ["SdcaMaximumEntropy"] = ["labelColumnName", "featureColumnName", "exampleWeightColumnName", "l2Regularization", "l1Regularization", "maximumNumberOfIterations"],
        ["SdcaNonCalibrated"] = ["labelColumnName", "featureColumnName", "exampleWeightColumnName", "lossFunction", "l2Regularization", "l1Regularization", "maximumNumberOfIterations"],
        ["LbfgsLogisticRegression"] = ["labelColumnName", "featureColumnName", "exampleWeightColumnName", "l1Regularization", "l2Regularization"],
        ["LbfgsMaximumEntropy"] = ["labelColumnName", "featureColumnName", "exampleWeightColumnName", "l1Regularization", "l2Regularization"],
        ["LightGbm"] = ["labelColumnName", "featureColumnName", "exampleWeightColumnName", "numberOfLeaves", "minimumExampleCountPerLeaf", "learningRate", "numberOfIterations"],
    };

    /// <summary>Layer calls whose named width arguments mean the layer's input or output.</summary>
    private static readonly Dictionary<string, string> NamedLayerArguments = new(StringComparer.Ordinal)
    {
        ["inchannels"] = "@in", ["inputchannel"] = "@in", ["inputchannels"] = "@in", ["infeatures"] = "@in", ["inputsize"] = "@in", ["insize"] = "@in", ["numfeatures"] = "@in",
        ["outchannels"] = "@out", ["outputchannel"] = "@out", ["outputchannels"] = "@out", ["outfeatures"] = "@out", ["outputsize"] = "@out", ["outsize"] = "@out",
        ["hiddensize"] = "@out", ["embeddingdim"] = "@out", ["embeddingdims"] = "@out",
        ["kernelsize"] = "@kernel", ["kernel"] = "@kernel", ["padding"] = "@padding",
    };

    /// <summary>Arguments a call names in its own words for a role's name: ReduceLROnPlateau's factor is a schedule's gamma.</summary>
    private static readonly Dictionary<(string Method, string Argument), string> Renamed = new()
    {
        [("ReduceLROnPlateau", "factor")] = "gamma",
    };

    public static bool IsLayer(string method) => Positional.TryGetValue(method, out var p) && p.Any(n => n.StartsWith('@'));

    public static bool IsConvolution(string method) => method.StartsWith("Conv", StringComparison.Ordinal) && Positional.ContainsKey(method);

    /// <summary>Pooling takes a kernel too, but changing it changes every shape after it: never lifted.</summary>
    public static bool IsPooling(string method) => method.Contains("Pool", StringComparison.OrdinalIgnoreCase);

    /// <summary>The name of the argument at <paramref name="position"/> of a known call, or null.</summary>
    public static string? ParameterAt(string method, int position) =>
        Positional.TryGetValue(method, out var names) && position < names.Length ? names[position] : null;

    /// <summary>A named argument of a layer call in the "@in"/"@out"/"@kernel" vocabulary, else the name itself.</summary>
    public static string Named(string method, string argument) =>
        IsLayer(method) && NamedLayerArguments.TryGetValue(LiftRoles.Normalize(argument), out var meaning) ? meaning
        : Renamed.GetValueOrDefault((method, argument)) ?? argument;

    /// <summary>What the layer's output width is called when nothing better names it.</summary>
    public static string WidthName(string method) =>
        method.StartsWith("Conv", StringComparison.Ordinal) ? "Filters"
        : method is "LSTM" or "GRU" or "RNN" or "LSTMCell" or "GRUCell" or "RNNCell" ? "HiddenSize"
        : method == "Embedding" ? "EmbeddingSize" : "Units";
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autotune.Detect;

/// <summary>
/// What kind of model the code builds, from the layers and trainers it constructs, however they
/// are written: <c>nn.Conv2d(..)</c>, <c>Conv2d(..)</c> under <c>using static</c>,
/// <c>torch.nn.Conv2d(..)</c>, inside Sequential tuples, loops or helper methods, and ML.NET
/// trainers reached through <c>....Trainers.X(..)</c>. Names count only for the frameworks the
/// project uses, so a method of the user's that happens to be called Linear is not a layer.
/// </summary>
public static class ArchitectureReader
{
    private enum Role { Conv, Recurrent, Attention, Dense, Activation, Tree, LinearTrainer, OtherTrainer }

    private static readonly Dictionary<string, Role> TorchLayers = new(StringComparer.Ordinal)
    {
        ["Conv1d"] = Role.Conv, ["Conv2d"] = Role.Conv, ["Conv3d"] = Role.Conv,
        ["ConvTranspose1d"] = Role.Conv, ["ConvTranspose2d"] = Role.Conv, ["ConvTranspose3d"] = Role.Conv,
        ["LSTM"] = Role.Recurrent, ["GRU"] = Role.Recurrent, ["RNN"] = Role.Recurrent,
        ["LSTMCell"] = Role.Recurrent, ["GRUCell"] = Role.Recurrent, ["RNNCell"] = Role.Recurrent,
        ["Transformer"] = Role.Attention, ["TransformerEncoder"] = Role.Attention, ["TransformerEncoderLayer"] = Role.Attention,
        ["TransformerDecoder"] = Role.Attention, ["TransformerDecoderLayer"] = Role.Attention, ["MultiheadAttention"] = Role.Attention,
        ["Linear"] = Role.Dense, ["Bilinear"] = Role.Dense,
        ["ReLU"] = Role.Activation, ["GELU"] = Role.Activation, ["Tanh"] = Role.Activation, ["Sigmoid"] = Role.Activation,
        ["LeakyReLU"] = Role.Activation, ["SiLU"] = Role.Activation, ["ELU"] = Role.Activation, ["Mish"] = Role.Activation,
        ["relu"] = Role.Activation, ["gelu"] = Role.Activation, ["tanh"] = Role.Activation, ["sigmoid"] = Role.Activation,
    };

    private static readonly Dictionary<string, Role> KerasLayers = new(StringComparer.Ordinal)
    {
        ["Conv1D"] = Role.Conv, ["Conv2D"] = Role.Conv, ["Conv3D"] = Role.Conv, ["Conv2DTranspose"] = Role.Conv,
        ["LSTM"] = Role.Recurrent, ["GRU"] = Role.Recurrent, ["SimpleRNN"] = Role.Recurrent,
        ["MultiHeadAttention"] = Role.Attention,
        ["Dense"] = Role.Dense,
    };

    private static readonly Dictionary<string, Role> MlNetTrainers = new(StringComparer.Ordinal)
    {
        ["FastTree"] = Role.Tree, ["FastTreeTweedie"] = Role.Tree, ["FastForest"] = Role.Tree, ["LightGbm"] = Role.Tree, ["Gam"] = Role.Tree,
        ["Sdca"] = Role.LinearTrainer, ["SdcaLogisticRegression"] = Role.LinearTrainer, ["SdcaMaximumEntropy"] = Role.LinearTrainer,
        ["SdcaNonCalibrated"] = Role.LinearTrainer, ["LbfgsLogisticRegression"] = Role.LinearTrainer, ["LbfgsMaximumEntropy"] = Role.LinearTrainer,
        ["LbfgsPoissonRegression"] = Role.LinearTrainer, ["OnlineGradientDescent"] = Role.LinearTrainer, ["AveragedPerceptron"] = Role.LinearTrainer,
        ["LinearSvm"] = Role.LinearTrainer, ["Ols"] = Role.LinearTrainer, ["SgdCalibrated"] = Role.LinearTrainer, ["SgdNonCalibrated"] = Role.LinearTrainer,
        ["SymbolicSgdLogisticRegression"] = Role.LinearTrainer,
        ["ImageClassification"] = Role.Conv,
        ["KMeans"] = Role.OtherTrainer, ["NaiveBayes"] = Role.OtherTrainer, ["MatrixFactorization"] = Role.OtherTrainer,
        ["FieldAwareFactorizationMachine"] = Role.OtherTrainer, ["LdSvm"] = Role.OtherTrainer, ["RandomizedPca"] = Role.OtherTrainer,
    };

    public static ArchitectureFinding Read(IReadOnlyList<SourceFile> files, IReadOnlyCollection<Framework> frameworks)
    {
        var torch = frameworks.Contains(Framework.TorchSharp);
        var keras = frameworks.Contains(Framework.TensorFlowNet);
        var mlnet = frameworks.Contains(Framework.MlNet);
        var seen = new List<(Role Role, string Name, Evidence Evidence, bool InLoop)>();
        foreach (var file in files)
        {
            foreach (var node in file.Root.DescendantNodes())
            {
                var (name, receiver) = node switch
                {
                    InvocationExpressionSyntax i => Invoked(i.Expression),
                    ObjectCreationExpressionSyntax o => (ConstantReader.LastName(o.Type), null),
                    _ => (null, null),
                };
                if (name is null) continue;
                Role role;
                if (mlnet && receiver is not null && receiver.Contains("Trainers", StringComparison.OrdinalIgnoreCase) && MlNetTrainers.TryGetValue(name, out var r)) role = r;
                else if (torch && TorchLayers.TryGetValue(name, out r)) role = r;
                else if (keras && KerasLayers.TryGetValue(name, out r)) role = r;
                else continue;
                var inLoop = node.Ancestors().TakeWhile(a => a is not MemberDeclarationSyntax).Any(a => a is ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax);
                seen.Add((role, name, file.At(node, $"constructs {name}{(inLoop ? " in a loop" : "")}"), inLoop));
            }
        }
        var layers = seen.Where(s => s.Role != Role.Activation).GroupBy(s => s.Name).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count());
        int Count(Role role) => seen.Count(s => s.Role == role);
        var dense = seen.Where(s => s.Role == Role.Dense).ToList();

        // The most specific family wins: a CNN or transformer has dense heads, an MLP has only dense layers.
        var (kind, deciding) =
            Count(Role.Attention) > 0 ? (Architecture.Transformer, Role.Attention) :
            Count(Role.Recurrent) > 0 ? (Architecture.RNN, Role.Recurrent) :
            Count(Role.Conv) > 0 ? (Architecture.CNN, Role.Conv) :
            Count(Role.Tree) > 0 ? (Architecture.TreeEnsemble, Role.Tree) :
            dense.Count >= 2 || dense.Any(d => d.InLoop) || (dense.Count == 1 && Count(Role.Activation) > 0) ? (Architecture.MLP, Role.Dense) :
            dense.Count == 1 ? (Architecture.Linear, Role.Dense) :
            Count(Role.LinearTrainer) > 0 ? (Architecture.Linear, Role.LinearTrainer) :
            (Architecture.Other, Role.OtherTrainer);
        var evidence = seen.Where(s => s.Role == deciding).Select(s => s.Evidence).Take(5).ToList();
        return new ArchitectureFinding(kind, layers, evidence);
    }

    /// <summary>The name a call invokes and the text of what it is called on: ("Conv2d", "torch.nn") for torch.nn.Conv2d(..).</summary>
    private static (string? Name, string? Receiver) Invoked(ExpressionSyntax e) => e switch
    {
        IdentifierNameSyntax i => (i.Identifier.ValueText, null),
        GenericNameSyntax g => (g.Identifier.ValueText, null),
        MemberAccessExpressionSyntax m => (m.Name.Identifier.ValueText, m.Expression.ToString()),
        MemberBindingExpressionSyntax b => (b.Name.Identifier.ValueText, null),
        _ => (null, null),
    };
}

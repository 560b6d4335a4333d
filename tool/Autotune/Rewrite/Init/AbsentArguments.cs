using Autotune.Detect;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autotune.Rewrite.Init;

/// <summary>Finds the optimizer calls of a model that leave a tunable argument to its default.</summary>
public static class AbsentArguments
{
    /// <summary>
    /// TorchSharp 0.107's torch.optim factories: the arguments worth tuning, their position and default.
    /// A learning rate and a momentum are what a person tries first; weight decay, Adam's betas and eps
    /// stay out when the code leaves them out: in the few epochs a CI study trains they seldom decide the
    /// result, and each extra axis costs the search trials.
    /// </summary>
    private static readonly Dictionary<string, (string Name, int Position, LiftRole Role, double Default, string Literal)[]> Levers = new(StringComparer.Ordinal)
    {
        ["SGD"] = [("momentum", 2, LiftRole.Momentum, 0.0, "0.0")],
        ["RMSProp"] = [("lr", 1, LiftRole.LearningRate, 1e-2, "1e-2"), ("momentum", 5, LiftRole.Momentum, 0.0, "0.0")],
        ["Adam"] = [("lr", 1, LiftRole.LearningRate, 1e-3, "1e-3")],
        ["AdamW"] = [("lr", 1, LiftRole.LearningRate, 1e-3, "1e-3")],
        ["Adamax"] = [("lr", 1, LiftRole.LearningRate, 2e-3, "2e-3")],
        ["NAdam"] = [("lr", 1, LiftRole.LearningRate, 2e-3, "2e-3")],
        ["RAdam"] = [("lr", 1, LiftRole.LearningRate, 2e-3, "2e-3")],
        ["Adagrad"] = [("lr", 1, LiftRole.LearningRate, 1e-2, "1e-2")],
    };

    /// <summary>TorchSharp optimizers whose own default learning rate is 1: the good region of their rate reaches past 1.</summary>
    private static readonly HashSet<string> UnitRateOptimizers = new(StringComparer.Ordinal) { "Adadelta", "LBFGS" };

    /// <summary>
    /// The largest learning rate a lifted rate below 1 may be searched up to: 1 (no optimizer with a default
    /// near 1e-3 wants more), or 10 when the program creates an optimizer whose default rate is 1 (Adadelta,
    /// L-BFGS), whose good region then sits around 1 rather than on the range's edge.
    /// </summary>
    public static double RateCeiling(IReadOnlyList<SourceFile> files, UserMethods methods) =>
        files.Any(f => f.Root.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Any(call => ConstantReader.LastName(call.Expression) is { } m && UnitRateOptimizers.Contains(m) && IsOptimizerCall(call, f, methods, m)))
            ? 10.0 : 1.0;

    public static List<ArgumentInsertion> Find(IReadOnlyList<SourceFile> files, UserMethods methods)
    {
        var found = new List<ArgumentInsertion>();
        foreach (var file in files)
            foreach (var call in file.Root.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (!IsTorchOptimizer(call, file, methods, out var method)) continue;
                var arguments = call.ArgumentList.Arguments;
                // Parameters only, or parameters and positional arguments: anything else (a spread, a
                // ref) is not a call this table describes.
                if (arguments.Count == 0 || arguments.Any(a => a.RefKindKeyword != default)) continue;
                foreach (var lever in Levers[method])
                {
                    var positional = arguments.TakeWhile(a => a.NameColon is null).Count();
                    if (positional > lever.Position || arguments.Any(a => a.NameColon?.Name.Identifier.ValueText == lever.Name)) continue;
                    found.Add(new ArgumentInsertion(file, call.ArgumentList, lever.Name, lever.Role, lever.Default, lever.Literal));
                }
            }
        return found;
    }

    /// <summary>
    /// <c>optim.X(...)</c> or <c>torch.optim.X(...)</c>, or a bare <c>X(...)</c> under <c>using static TorchSharp.torch.optim</c>;
    /// never a method of the model's own that happens to share the name.
    /// </summary>
    private static bool IsTorchOptimizer(InvocationExpressionSyntax call, SourceFile file, UserMethods methods, out string method)
    {
        method = ConstantReader.LastName(call.Expression) ?? "";
        return Levers.ContainsKey(method) && IsOptimizerCall(call, file, methods, method);
    }

    private static bool IsOptimizerCall(InvocationExpressionSyntax call, SourceFile file, UserMethods methods, string method)
    {
        if (methods.Declares(method)) return false;
        return call.Expression switch
        {
            MemberAccessExpressionSyntax { Expression: var receiver } => ConstantReader.LastName(receiver) == "optim",
            IdentifierNameSyntax => file.Root.DescendantNodes().OfType<UsingDirectiveSyntax>().Any(u => u.Name?.ToString() == "TorchSharp.torch.optim"),
            _ => false,
        };
    }
}

using System.Globalization;
using Autotune.Detect;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autotune.Rewrite.Init;

/// <summary>
/// Finds the literals of a model whose context says what they mean (syntax only, like Detect):
/// an argument of a known layer, optimizer, schedule, data loader or trainer call (by position or
/// by name), an argument of the model's own method whose parameter has a telling name, a variable or
/// object-initializer member with such a name that nothing assigns again (or the default such a variable
/// takes when no command-line argument overrides it), the bound of a loop over
/// epochs, and the stride and slice length of a training loop over batches (<see cref="BatchLoops"/>). Everything else is left alone.
/// </summary>
public static class LiteralFinder
{
    public static List<LiftSite> Find(IReadOnlyList<SourceFile> files)
    {
        var methods = new UserMethods(files.Select(f => f.Root));
        var reassigned = Reassigned(files);
        var overridden = OverriddenDefaults(files);
        var sites = new List<LiftSite>();
        foreach (var file in files)
        {
            // A training loop's stride and slice lengths first: they are one batch size whatever else their context says.
            var batch = new HashSet<LiteralExpressionSyntax>();
            foreach (var literals in BatchLoops.Find(file.Root))
                foreach (var literal in literals)
                    if (batch.Add(literal) && Read(literal) is var (value, type)
                        && Site(file, literal, value, type, LiftRole.BatchSize, "BatchSize", standalone: true) is { } site)
                        sites.Add(site);
            foreach (var literal in file.Root.DescendantNodes().OfType<LiteralExpressionSyntax>())
                if (!batch.Contains(literal) && Classify(file, literal, methods, reassigned, overridden) is { } site) sites.Add(site);
        }
        return sites;
    }

    /// <summary>A literal's value as a search value and its C# type, for the types a block can hold.</summary>
    public static (object Value, string Type)? Read(LiteralExpressionSyntax literal) => literal.Token.Value switch
    {
        int i => ((long)i, "int"),
        long l => (l, "long"),
        // As Detect reads a float const back: the float widened, not its shortest decimal.
        float f => ((double)f, "float"),
        double d => (d, "double"),
        string s when literal.IsKind(SyntaxKind.StringLiteralExpression) && literal.Token.Text.StartsWith('"') => (s, "string"),
        _ => null,
    };

    private static LiftSite? Classify(SourceFile file, LiteralExpressionSyntax literal, UserMethods methods, HashSet<string> reassigned,
        HashSet<(string Type, string Member)> overridden)
    {
        if (Read(literal) is not var (value, type)) return null;
        switch (literal.Parent)
        {
            case ArgumentSyntax { Parent: ArgumentListSyntax { Parent: var call } list } argument
                when argument.RefKindKeyword == default && call is InvocationExpressionSyntax or ObjectCreationExpressionSyntax:
                return FromArgument(file, literal, value, type, argument, list, call, methods);
            case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax v } when !reassigned.Contains(v.Identifier.ValueText):
                return ByName(file, literal, value, type, v.Identifier.ValueText);
            // The value a program runs with unless told otherwise: `args.Length > 0 ? double.Parse(args[0]) : 3e-4`,
            // `Environment.GetEnvironmentVariable("LR") ?? "..."` is not a number, but `x ?? 0.01` is. A choice between
            // two literals (`fast ? 0.1 : 0.01`) is the code's own switch and stays.
            case ConditionalExpressionSyntax { Parent: EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax v } } c
                when !reassigned.Contains(v.Identifier.ValueText) && (c.WhenFalse == literal ? c.WhenTrue : c.WhenFalse) is not LiteralExpressionSyntax:
                return ByName(file, literal, value, type, v.Identifier.ValueText);
            case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.CoalesceExpression, Parent: EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax v } } b
                when b.Right == literal && !reassigned.Contains(v.Identifier.ValueText):
                return ByName(file, literal, value, type, v.Identifier.ValueText);
            case EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax p } when !reassigned.Contains(p.Identifier.ValueText)
                && !(p.Parent is TypeDeclarationSyntax owner && overridden.Contains((owner.Identifier.ValueText, p.Identifier.ValueText))):
                return ByName(file, literal, value, type, p.Identifier.ValueText);
            case AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax { RawKind: (int)SyntaxKind.ObjectInitializerExpression }, Left: IdentifierNameSyntax member } a
                when a.Right == literal:
                return ByName(file, literal, value, type, member.Identifier.ValueText);
            case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LessThanExpression or (int)SyntaxKind.LessThanOrEqualExpression, Left: IdentifierNameSyntax counter } b
                when b.Right == literal && b.Parent is ForStatementSyntax loop && loop.Condition == b && IsEpochCounter(loop, counter.Identifier.ValueText):
                return Site(file, literal, value, type, LiftRole.Epochs, "Epochs", standalone: true);
            default:
                return null;
        }
    }

    private static bool IsEpochCounter(ForStatementSyntax loop, string name) =>
        LiftRoles.Normalize(name) is "epoch" or "ep" or "epochindex" or "epochnumber"
        && loop.Declaration?.Variables.Any(v => v.Identifier.ValueText == name) == true;

    private static LiftSite? FromArgument(SourceFile file, LiteralExpressionSyntax literal, object value, string type, ArgumentSyntax argument,
        ArgumentListSyntax list, SyntaxNode call, UserMethods methods)
    {
        var method = call switch
        {
            InvocationExpressionSyntax i => ConstantReader.LastName(i.Expression),
            ObjectCreationExpressionSyntax o => ConstantReader.LastName(o.Type),
            _ => null,
        };
        if (method is null || KnownApis.IsPooling(method)) return null;
        var position = list.Arguments.IndexOf(argument);
        var named = argument.NameColon?.Name.Identifier.ValueText;

        // The model's own methods first: a parameter name there is the author's own word for the value.
        if (methods.Declares(method))
        {
            if (named is not null || list.Arguments.Take(position).Any(a => a.NameColon is not null)) return named is null ? null : ByName(file, literal, value, type, named);
            if (methods.ParameterAt(method, position, list.Arguments.Count) is not var (parameter, declaration)) return null;
            var name = parameter.Identifier.ValueText;
            var role = LiftRoles.FromName(name);
            if (role == LiftRole.Kernel && !UserMethods.DerivesPadding(declaration, name)) return null;
            if (role is null && type == "string" && parameter.Type?.ToString() == "string")
            {
                var labels = UserMethods.SwitchLabels(declaration, name);
                return LiftRoles.DefaultDomain(LiftRole.Option, value, labels) is null ? null
                    : Site(file, literal, value, type, LiftRole.Option, name, standalone: true, options: labels);
            }
            return role is null ? null : Site(file, literal, value, type, role.Value, name, standalone: true);
        }

        var meaning = named is not null ? KnownApis.Named(method, named)
            : list.Arguments.Take(position).Any(a => a.NameColon is not null) ? null
            : KnownApis.ParameterAt(method, position);
        // An evaluation loader's batch size changes no training: left alone.
        if (method == "DataLoader" && Owner(call) is { } loader && IsEvaluation(loader)) return null;
        switch (meaning)
        {
            case null: return null;
            case "@in": return Site(file, literal, value, type, LiftRole.Width, KnownApis.WidthName(method), standalone: false, side: WidthSide.In);
            case "@out": return Site(file, literal, value, type, LiftRole.Width, Owned(call, KnownApis.WidthName(method)), standalone: false, side: WidthSide.Out);
            case "@kernel":
                // Another kernel keeps the shapes only when the padding follows it: "same" padding k/2, which init then writes as Hyper.K / 2.
                if (!KnownApis.IsConvolution(method) || value is not long k) return null;
                var padding = Argument(list, "@padding", method);
                if (padding is LiteralExpressionSyntax p && p.Token.Value is int pv && pv == k / 2 && k % 2 == 1)
                    return Site(file, literal, value, type, LiftRole.Kernel, Owned(call, "KernelSize"), standalone: true, padding: p);
                return null;
            case "@padding": return null;
            default:
                var role = LiftRoles.FromName(meaning);
                return role is null or LiftRole.Kernel ? null : Site(file, literal, value, type, role.Value, meaning, standalone: true);
        }
    }

    /// <summary>The argument of a layer call that has this meaning, by name or by position.</summary>
    private static ExpressionSyntax? Argument(ArgumentListSyntax list, string meaning, string method)
    {
        for (var i = 0; i < list.Arguments.Count; i++)
        {
            var a = list.Arguments[i];
            var m = a.NameColon is { } n ? KnownApis.Named(method, n.Name.Identifier.ValueText) : KnownApis.ParameterAt(method, i);
            if (m == meaning) return a.Expression;
        }
        return null;
    }

    /// <summary>The name the call's result is kept under: <c>conv1 = Conv2d(...)</c>, <c>("conv1", Conv2d(...))</c>; null when none.</summary>
    private static string? Owner(SyntaxNode call) => call.Parent switch
    {
        EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax v } => v.Identifier.ValueText,
        AssignmentExpressionSyntax a => ConstantReader.LastName(a.Left),
        ArgumentSyntax { Parent: TupleExpressionSyntax t } when t.Arguments[0].Expression is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } s => s.Token.ValueText,
        _ => null,
    };

    private static bool IsEvaluation(string name)
    {
        var n = LiftRoles.Normalize(name);
        return n.Contains("test", StringComparison.Ordinal) || n.Contains("eval", StringComparison.Ordinal) || n.Contains("valid", StringComparison.Ordinal)
            || n.StartsWith("val", StringComparison.Ordinal) || n.EndsWith("val", StringComparison.Ordinal);
    }

    /// <summary>"Conv1Filters" for <c>conv1 = Conv2d(...)</c> or <c>("conv1", Conv2d(...))</c>; the bare name otherwise.</summary>
    private static string Owned(SyntaxNode call, string name)
    {
        var owner = Owner(call);
        if (owner is null) return name;
        var prefix = LiftRoles.Pascal(owner);
        return prefix == "Value" || prefix.EndsWith(name, StringComparison.Ordinal) ? name : prefix + name;
    }

    private static LiftSite? ByName(SourceFile file, LiteralExpressionSyntax literal, object value, string type, string name)
    {
        var role = LiftRoles.FromName(name);
        // A kernel named by a variable cannot be checked against its padding: left alone.
        return role is null or LiftRole.Kernel ? null : Site(file, literal, value, type, role.Value, name, standalone: true);
    }

    private static LiftSite? Site(SourceFile file, LiteralExpressionSyntax literal, object value, string type, LiftRole role, string hint, bool standalone,
        WidthSide side = WidthSide.None, IReadOnlyList<object>? options = null, LiteralExpressionSyntax? padding = null)
    {
        // Roles fix the kind of value: a width is an integer, a rate a real; anything else is not what it seems.
        var fits = role switch
        {
            LiftRole.LearningRate or LiftRole.Dropout or LiftRole.Momentum or LiftRole.WeightDecay or LiftRole.Beta1 or LiftRole.Beta2 or LiftRole.Gamma
                or LiftRole.Regularization or LiftRole.Fraction => type is "double" or "float",
            LiftRole.Option => type == "string",
            _ => type is "int" or "long",
        };
        if (!fits || LiftRoles.DefaultDomain(role, Shown(value, type), options) is null) return null;
        return new LiftSite(file, literal, value, type, role, LiftRoles.PreferredName(hint, role), standalone, side, options, padding);
    }

    /// <summary>The value as the literal shows it (0.001 for 1e-3f rather than 0.0010000000474974513): what a space is built around.</summary>
    public static object Shown(object value, string type) =>
        type == "float" && value is double d ? double.Parse(((float)d).ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : value;

    /// <summary>Names that are assigned, incremented or passed by ref/out anywhere: their first value is not the only one.</summary>
    /// <summary>
    /// Property defaults no run ever sees: every `new Config { LearningRate = 0.01 }` of the type sets the
    /// property, so its `= 1e-3` default is dead code. Lifting it would add a parameter that changes
    /// nothing, and the search would spend trials on it. Types created any other way keep their defaults.
    /// </summary>
    private static HashSet<(string Type, string Member)> OverriddenDefaults(IReadOnlyList<SourceFile> files)
    {
        var creations = files.SelectMany(f => f.Root.DescendantNodes().OfType<ObjectCreationExpressionSyntax>())
            .Where(c => ConstantReader.LastName(c.Type) is not null)
            .GroupBy(c => ConstantReader.LastName(c.Type)!);
        var dead = new HashSet<(string, string)>();
        foreach (var type in creations)
        {
            var setEveryTime = type.Select(c => c.Initializer is { RawKind: (int)SyntaxKind.ObjectInitializerExpression } init
                    ? init.Expressions.OfType<AssignmentExpressionSyntax>().Select(a => ConstantReader.LastName(a.Left)).OfType<string>().ToHashSet()
                    : [])
                .Aggregate((a, b) => { a.IntersectWith(b); return a; });
            foreach (var member in setEveryTime) dead.Add((type.Key, member));
        }
        return dead;
    }

    private static HashSet<string> Reassigned(IReadOnlyList<SourceFile> files)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in files.SelectMany(f => f.Root.DescendantNodes()))
        {
            var target = node switch
            {
                AssignmentExpressionSyntax { Parent: not InitializerExpressionSyntax } a => a.Left,
                PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression } p => p.Operand,
                PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } p => p.Operand,
                ArgumentSyntax { RefKindKeyword.RawKind: (int)SyntaxKind.RefKeyword or (int)SyntaxKind.OutKeyword } a => a.Expression,
                _ => null,
            };
            if (target is not null && ConstantReader.LastName(target) is { } name) names.Add(name);
            // A tuple deconstruction assigns each of its names.
            if (node is AssignmentExpressionSyntax { Left: TupleExpressionSyntax tuple })
                foreach (var e in tuple.Arguments) if (ConstantReader.LastName(e.Expression) is { } n) names.Add(n);
        }
        return names;
    }
}

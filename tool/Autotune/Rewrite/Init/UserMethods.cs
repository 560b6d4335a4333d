using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autotune.Rewrite.Init;

/// <summary>
/// The methods, constructors and local functions the model itself declares, by name, so that the
/// literal 128 in <c>new Net(2, 128)</c> takes the name of Net's parameter (<c>denseUnits</c>).
/// Matched by name and argument count only; when the candidates disagree, nothing is said.
/// </summary>
public sealed class UserMethods
{
    public sealed record Declaration(ParameterListSyntax Parameters, SyntaxNode Body);

    private readonly Dictionary<string, List<Declaration>> byName = new(StringComparer.Ordinal);

    public UserMethods(IEnumerable<SyntaxNode> roots)
    {
        foreach (var root in roots)
            foreach (var node in root.DescendantNodes())
                switch (node)
                {
                    case MethodDeclarationSyntax m: Add(m.Identifier.ValueText, m.ParameterList, m); break;
                    case LocalFunctionStatementSyntax f: Add(f.Identifier.ValueText, f.ParameterList, f); break;
                    case ConstructorDeclarationSyntax c: Add(c.Identifier.ValueText, c.ParameterList, c); break;
                    case TypeDeclarationSyntax { ParameterList: { } p } t: Add(t.Identifier.ValueText, p, t); break;
                }
    }

    private void Add(string name, ParameterListSyntax parameters, SyntaxNode body)
    {
        if (!byName.TryGetValue(name, out var list)) byName[name] = list = [];
        list.Add(new Declaration(parameters, body));
    }

    public bool Declares(string name) => byName.ContainsKey(name);

    /// <summary>The parameter the argument at <paramref name="position"/> binds to, when every fitting declaration agrees.</summary>
    public (ParameterSyntax Parameter, Declaration Declaration)? ParameterAt(string name, int position, int argumentCount)
    {
        if (!byName.TryGetValue(name, out var declarations)) return null;
        var fitting = declarations.Where(d => Fits(d.Parameters, argumentCount) && position < d.Parameters.Parameters.Count).ToList();
        if (fitting.Count == 0) return null;
        var names = fitting.Select(d => d.Parameters.Parameters[position].Identifier.ValueText).Distinct().ToList();
        if (names.Count != 1) return null;
        var first = fitting[0];
        var parameter = first.Parameters.Parameters[position];
        return parameter.Modifiers.Any(SyntaxKind.ParamsKeyword) ? null : (parameter, first);
    }

    private static bool Fits(ParameterListSyntax list, int count)
    {
        var ps = list.Parameters;
        var hasParams = ps.Any(p => p.Modifiers.Any(SyntaxKind.ParamsKeyword));
        var required = ps.Count(p => p.Default is null && !p.Modifiers.Any(SyntaxKind.ParamsKeyword));
        return count >= required && (hasParams || count <= ps.Count);
    }

    /// <summary>True when the method computes a convolution's padding from this parameter (or asks for "same" padding), so another kernel keeps every shape.</summary>
    public static bool DerivesPadding(Declaration d, string parameter) =>
        d.Body.DescendantNodes().OfType<ArgumentSyntax>().Any(a =>
            a.NameColon is { } n && LiftRoles.Normalize(n.Name.Identifier.ValueText) == "padding"
            && a.Expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(i => i.Identifier.ValueText is var t && (t == parameter || t == "Same")));

    /// <summary>The string labels of a switch over this parameter inside the method: the values the code knows.</summary>
    public static List<object> SwitchLabels(Declaration d, string parameter)
    {
        var labels = new List<object>();
        static bool IsParameter(ExpressionSyntax e, string p) => e is IdentifierNameSyntax i && i.Identifier.ValueText == p;
        foreach (var node in d.Body.DescendantNodes())
        {
            if (node is SwitchExpressionSyntax se && IsParameter(se.GoverningExpression, parameter))
                labels.AddRange(se.Arms.Select(a => a.Pattern).OfType<ConstantPatternSyntax>().Select(c => c.Expression)
                    .OfType<LiteralExpressionSyntax>().Where(l => l.IsKind(SyntaxKind.StringLiteralExpression)).Select(l => (object)l.Token.ValueText));
            else if (node is SwitchStatementSyntax ss && IsParameter(ss.Expression, parameter))
                foreach (var label in ss.Sections.SelectMany(s => s.Labels))
                {
                    var value = label switch
                    {
                        CaseSwitchLabelSyntax c => c.Value,
                        CasePatternSwitchLabelSyntax { Pattern: ConstantPatternSyntax p } => p.Expression,
                        _ => null,
                    };
                    if (value is LiteralExpressionSyntax l && l.IsKind(SyntaxKind.StringLiteralExpression)) labels.Add(l.Token.ValueText);
                }
        }
        return labels.Distinct().ToList();
    }
}

using Autotune.Search;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autotune.Detect;

/// <summary>
/// Finds the one <c>[Hyperparameters]</c> class and reads its const fields into typed parameters with
/// their declared search space, checking everything a search would otherwise trip over later:
/// supported types, literal values, possible ranges, current values inside them, uses elsewhere.
/// </summary>
public static class HyperparameterBlockReader
{
    public const string AttributeName = "Hyperparameters";

    public static HyperparameterBlock? Read(IReadOnlyList<SourceFile> files, List<DetectProblem> problems)
    {
        var found = new List<(SourceFile File, ClassDeclarationSyntax Class)>();
        foreach (var file in files)
            foreach (var c in file.Root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax).OfType<ClassDeclarationSyntax>())
                if (HasAttribute(c.AttributeLists, AttributeName)) found.Add((file, c));
        if (found.Count == 0) return null;
        var (blockFile, block) = found[0];
        // The rewrite splices one declaration: members of another part would be neither searched nor written.
        var parts = block.Modifiers.Any(SyntaxKind.PartialKeyword) ? OtherParts(files, blockFile, block) : [];
        foreach (var (f, c) in parts)
            problems.Add(DetectProblem.Error(f.Path, f.LineOf(c), Column(f, c),
                $"another part of the partial [Hyperparameters] class '{block.Identifier.ValueText}' (declared at {blockFile.Path}:{blockFile.LineOf(block)}): autotune reads and rewrites one declaration, so members here would be ignored; move them into {blockFile.Path} and remove this part"));
        foreach (var (f, c) in found.Skip(1).Where(x => !parts.Contains(x)))
            problems.Add(DetectProblem.Error(f.Path, f.LineOf(c), Column(f, c),
                $"a second [Hyperparameters] class '{c.Identifier.ValueText}' (the first is '{block.Identifier.ValueText}' at {blockFile.Path}:{blockFile.LineOf(block)}): keep one block per model"));

        var parameters = new List<BlockParameter>();
        foreach (var member in block.Members)
        {
            if (member is not FieldDeclarationSyntax field || !field.Modifiers.Any(SyntaxKind.ConstKeyword))
            {
                problems.Add(DetectProblem.Error(blockFile.Path, blockFile.LineOf(member), Column(blockFile, member),
                    $"the block '{block.Identifier.ValueText}' may hold only const fields, and this is {Describe(member)}: move it out of the block"));
                continue;
            }
            foreach (var variable in field.Declaration.Variables)
                if (ReadParameter(blockFile, field, variable, problems) is { } p) parameters.Add(p);
        }
        var duplicates = parameters.GroupBy(p => p.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        foreach (var name in duplicates) problems.Add(DetectProblem.Error(blockFile.Path, blockFile.LineOf(block), 0, $"parameter '{name}' is declared twice"));
        parameters = ReadConditions(blockFile, block, parameters, problems);

        var uses = FindUses(files, blockFile, block, parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal));
        parameters = parameters.Select(p => p with { FirstUse = uses.GetValueOrDefault(p.Name) }).ToList();
        foreach (var p in parameters.Where(p => !p.IsUsed))
            problems.Add(DetectProblem.Warning(blockFile.Path, p.Line, 0,
                $"parameter '{p.Name}' is not used anywhere else in the code: tuning it changes nothing; use {block.Identifier.ValueText}.{p.Name} in the model or remove it"));

        return new HyperparameterBlock(blockFile.Path, blockFile.FullPath, block.SpanStart, block.Span.Length, blockFile.LineOf(block),
            block.Identifier.ValueText, parameters);
    }

    /// <summary>The other declarations of a partial class: same namespace, same enclosing types, same name and arity.</summary>
    private static List<(SourceFile File, ClassDeclarationSyntax Class)> OtherParts(IReadOnlyList<SourceFile> files, SourceFile blockFile, ClassDeclarationSyntax block)
    {
        var name = QualifiedName(block);
        var parts = new List<(SourceFile, ClassDeclarationSyntax)>();
        foreach (var file in files)
            foreach (var c in file.Root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax).OfType<ClassDeclarationSyntax>())
                if (c != block && c.Modifiers.Any(SyntaxKind.PartialKeyword) && c.Identifier.ValueText == block.Identifier.ValueText && QualifiedName(c) == name)
                    parts.Add((file, c));
        return parts;
    }

    private static string QualifiedName(ClassDeclarationSyntax c) =>
        string.Join(".", c.AncestorsAndSelf().Reverse().Select(n => n switch
        {
            BaseNamespaceDeclarationSyntax ns => ns.Name.ToString(),
            TypeDeclarationSyntax t => t.Identifier.ValueText + "`" + (t.TypeParameterList?.Parameters.Count ?? 0),
            _ => null,
        }).OfType<string>());

    public static bool HasAttribute(SyntaxList<AttributeListSyntax> lists, string name) =>
        lists.SelectMany(l => l.Attributes).Any(a => AttributeShortName(a) == name);

    /// <summary>"Range" for [Range], [RangeAttribute], [Autotune.Range] and [global::Autotune.RangeAttribute].</summary>
    public static string AttributeShortName(AttributeSyntax a)
    {
        var name = ConstantReader.LastName(a.Name) ?? a.Name.ToString();
        return name.EndsWith("Attribute", StringComparison.Ordinal) && name.Length > "Attribute".Length ? name[..^"Attribute".Length] : name;
    }

    private static BlockParameter? ReadParameter(SourceFile file, FieldDeclarationSyntax field, VariableDeclaratorSyntax variable, List<DetectProblem> problems)
    {
        var name = variable.Identifier.ValueText;
        var line = file.LineOf(variable);
        void Error(SyntaxNode at, string message) => problems.Add(DetectProblem.Error(file.Path, file.LineOf(at), Column(file, at), message));

        var (type, typeError) = ParameterType.FromSyntax(field.Declaration.Type.ToString());
        if (type is null) { Error(field.Declaration.Type, $"parameter '{name}': {typeError}"); return null; }
        if (variable.Initializer is null) { Error(variable, $"parameter '{name}' has no value"); return null; }
        var (current, valueError) = ConstantReader.Value(variable.Initializer.Value, type);
        if (current is null) { Error(variable.Initializer.Value, $"parameter '{name}': {valueError}; autotune reads and writes literal values only"); return null; }

        var domainAttributes = field.AttributeLists.SelectMany(l => l.Attributes)
            .Where(a => AttributeShortName(a) is "Range" or "LogRange" or "Choice").ToList();
        if (domainAttributes.Count == 0)
        {
            Error(variable, $"parameter '{name}' has no search space: add [Range(min, max)], [LogRange(min, max)] or [Choice(...)], or move it out of the block");
            return null;
        }
        if (domainAttributes.Count > 1)
        {
            Error(domainAttributes[1], $"parameter '{name}' declares {domainAttributes.Count} search spaces: keep one of [Range], [LogRange] and [Choice]");
            return null;
        }
        var attribute = domainAttributes[0];
        var (domain, domainError) = ReadDomain(attribute, type);
        if (domain is null) { Error(attribute, $"parameter '{name}': [{attribute}] {domainError}"); return null; }
        if (!domain.Contains(current))
        {
            Error(variable.Initializer.Value, $"parameter '{name}': its value {Literal(current)} is outside its declared space [{attribute}]; change the value or the attribute");
            return null;
        }
        var attributes = string.Join(" ", field.AttributeLists.Select(l => l.ToString()));
        return new BlockParameter(new Parameter(name, type.Name, domain, current), line, attributes, null);
    }

    /// <summary>
    /// Each <c>[When]</c> read into its parameter's <see cref="Condition"/>, once every parameter is known
    /// (a condition may name one declared after it). Refused: a name that is no parameter, a value outside
    /// the named parameter's space, a cycle of conditions.
    /// </summary>
    private static List<BlockParameter> ReadConditions(SourceFile file, ClassDeclarationSyntax block, List<BlockParameter> parameters, List<DetectProblem> problems)
    {
        var byName = parameters.GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var result = new List<BlockParameter>(parameters);
        var at = new Dictionary<string, AttributeSyntax>(StringComparer.Ordinal);
        foreach (var field in block.Members.OfType<FieldDeclarationSyntax>())
        {
            var whens = field.AttributeLists.SelectMany(l => l.Attributes).Where(a => AttributeShortName(a) == "When").ToList();
            if (whens.Count == 0) continue;
            foreach (var variable in field.Declaration.Variables)
            {
                if (!byName.TryGetValue(variable.Identifier.ValueText, out var p)) continue;
                void Error(SyntaxNode node, string message) =>
                    problems.Add(DetectProblem.Error(file.Path, file.LineOf(node), Column(file, node), $"parameter '{p.Name}': {message}"));
                if (whens.Count > 1) { Error(whens[1], $"declares {whens.Count} conditions: keep one [When] (put a condition on the parameter it names to require both)"); continue; }
                var (condition, error) = ReadCondition(whens[0], byName, block.Identifier.ValueText);
                if (condition is null) { Error(whens[0], $"[{whens[0]}] {error}"); continue; }
                result[result.IndexOf(p)] = p with { Parameter = p.Parameter with { When = condition } };
                at[p.Name] = whens[0];
            }
        }

        // Follow each condition to its root; coming back to a parameter on the way is a cycle, reported once.
        var conditions = result.Where(p => p.Parameter.When is not null).ToDictionary(p => p.Name, p => p.Parameter.When!.Parent, StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in result.Where(p => conditions.ContainsKey(p.Name)))
        {
            var path = new List<string> { p.Name };
            for (var name = conditions[p.Name]; ; name = conditions[name])
            {
                if (path.Contains(name))
                {
                    var cycle = path.Skip(path.IndexOf(name)).Append(name).ToList();
                    if (cycle.Any(reported.Contains)) break;
                    reported.UnionWith(cycle);
                    var node = at[cycle[0]];
                    problems.Add(DetectProblem.Error(file.Path, file.LineOf(node), Column(file, node),
                        $"parameter '{cycle[0]}': its [When] conditions form a cycle ({string.Join(" -> ", cycle)}): a parameter cannot depend on itself; remove one of these [When]"));
                    break;
                }
                path.Add(name);
                if (!conditions.ContainsKey(name)) break;
            }
        }
        return result;
    }

    /// <summary>The condition a <c>[When(nameof(Parent), values...)]</c> or <c>[When(nameof(Parent), AtLeast = k)]</c> declares, or why it cannot be one.</summary>
    private static (Condition? Condition, string? Error) ReadCondition(AttributeSyntax attribute, IReadOnlyDictionary<string, BlockParameter> parameters, string className)
    {
        var args = attribute.ArgumentList?.Arguments ?? default;
        var positional = args.Where(a => a.NameEquals is null && a.NameColon is null).Select(a => a.Expression).ToList();
        var named = args.Where(a => a.NameEquals is not null).ToDictionary(a => a.NameEquals!.Name.Identifier.ValueText, a => a.Expression);
        if (positional.Count == 0) return (null, "names no parameter: write [When(nameof(Other), value...)]");
        var name = positional[0] switch
        {
            InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } } n when n.ArgumentList.Arguments.Count == 1 =>
                ConstantReader.LastName(n.ArgumentList.Arguments[0].Expression),
            LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } l => l.Token.ValueText,
            _ => null,
        };
        if (name is null) return (null, $"names its parameter as '{positional[0]}': write nameof(Other) or \"Other\"");
        if (!parameters.TryGetValue(name, out var parent))
            return (null, $"names '{name}', which is not a parameter of {className}: name one of {string.Join(", ", parameters.Keys)}");
        var values = positional.Skip(1).ToList();
        if (named.TryGetValue("AtLeast", out var atLeastSyntax))
        {
            if (values.Count > 0) return (null, "gives both values and AtLeast: keep one");
            if (ConstantReader.Number(atLeastSyntax) is not { } number) return (null, "has an AtLeast that is not a number literal");
            var k = Convert.ToDouble(number, System.Globalization.CultureInfo.InvariantCulture);
            if (Bounds(parent.Domain) is not { } bounds) return (null, $"has AtLeast, which needs a number, and '{name}' is {parent.Type} ({parent.Attributes}): list its values instead");
            if (k < bounds.Min || k > bounds.Max)
                return (null, $"AtLeast {SearchValue.Format(number)} is outside the space of '{name}' ({parent.Attributes}): pick a value from {SearchValue.Format(bounds.Min)} to {SearchValue.Format(bounds.Max)}");
            return (new Condition(name, [], k), null);
        }
        if (values.Count == 0) return (null, $"lists no values of '{name}': give the values under which this parameter applies, or AtLeast = n");
        var (type, _) = ParameterType.FromSyntax(parent.Type);
        var read = new List<object>();
        foreach (var e in values)
        {
            var (v, error) = ConstantReader.Value(e, type!);
            if (v is null) return (null, $"has a value that is not a {parent.Type} like '{name}': {error}");
            if (!parent.Domain.Contains(v))
                return (null, $"value {Literal(v)} is outside the space of '{name}' ({parent.Attributes}): use values it can take");
            read.Add(v);
        }
        return (new Condition(name, read), null);
    }

    private static (double Min, double Max)? Bounds(Domain domain) => domain switch
    {
        IntRange r => (r.Min, r.Max),
        RealRange r => (r.Min, r.Max),
        Choice c when c.Values.Count > 0 && c.Values.All(v => v is long or double) =>
            (c.Values.Min(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)), c.Values.Max(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture))),
        _ => null,
    };

    private static string Literal(object value) => value is string s ? $"\"{s}\"" : SearchValue.Format(value);

    /// <summary>The domain an attribute declares for a parameter of <paramref name="type"/>, or why it cannot be one.</summary>
    public static (Domain? Domain, string? Error) ReadDomain(AttributeSyntax attribute, ParameterType type)
    {
        var args = attribute.ArgumentList?.Arguments ?? default;
        var positional = args.Where(a => a.NameEquals is null && a.NameColon is null).Select(a => a.Expression).ToList();
        var named = args.Where(a => a.NameEquals is not null).ToDictionary(a => a.NameEquals!.Name.Identifier.ValueText, a => a.Expression);
        var kind = AttributeShortName(attribute);
        if (kind == "Choice")
        {
            if (positional.Count == 0) return (null, "lists no values: give at least one");
            var values = new List<object>();
            foreach (var e in positional)
            {
                var (v, error) = ConstantReader.Value(e, type);
                if (v is null) return (null, $"has a value that is not a {type.Name}: {error}");
                values.Add(v);
            }
            return (new Choice(values), null);
        }
        if (type.Kind is not (ValueKind.Integer or ValueKind.Real))
            return (null, $"is for numbers; a {type.Name} parameter takes [Choice(...)]");
        if (positional.Count != 2) return (null, "needs exactly two bounds (min, max)");
        var (min, max) = (ConstantReader.Number(positional[0]), ConstantReader.Number(positional[1]));
        if (min is null || max is null) return (null, "bounds must be number literals");
        var log = kind == "LogRange";
        if (type.Kind == ValueKind.Integer)
        {
            if (min is not long lo || max is not long hi) return (null, $"bounds must be integers for a {type.Name} parameter");
            if (lo > hi) return (null, $"is empty: min {lo} is greater than max {hi}");
            if (log && lo <= 0) return (null, $"is a log range and needs min > 0 (it is {lo})");
            if (lo < type.Min || hi > type.Max) return (null, $"does not fit in {type.Name}");
            long step = 1;
            if (named.TryGetValue("Step", out var stepSyntax))
            {
                var s = ConstantReader.Number(stepSyntax);
                if (s is double d && d == Math.Floor(d) && Math.Abs(d) < long.MaxValue) s = (long)d;
                if (s is not long ls || ls < 1) return (null, "has a Step that is not a positive integer");
                step = ls;
            }
            return (new IntRange(lo, hi, step, log), null);
        }
        var (rlo, rhi) = (Convert.ToDouble(min, System.Globalization.CultureInfo.InvariantCulture), Convert.ToDouble(max, System.Globalization.CultureInfo.InvariantCulture));
        if (type.IsFloat) (rlo, rhi) = ((float)rlo, (float)rhi);
        if (!double.IsFinite(rlo) || !double.IsFinite(rhi)) return (null, "bounds must be finite");
        if (rlo > rhi) return (null, $"is empty: min {SearchValue.Format(rlo)} is greater than max {SearchValue.Format(rhi)}");
        if (log && rlo <= 0) return (null, $"is a log range and needs min > 0 (it is {SearchValue.Format(rlo)})");
        if (named.ContainsKey("Step")) return (null, "has a Step, which only integer ranges support: remove it or use [Choice(...)]");
        return (new RealRange(rlo, rhi, log), null);
    }

    /// <summary>First use of each parameter outside the block: <c>Block.Name</c>, or a bare name where the file has <c>using static ...Block</c>.</summary>
    private static Dictionary<string, Evidence> FindUses(IReadOnlyList<SourceFile> files, SourceFile blockFile, ClassDeclarationSyntax block, HashSet<string> names)
    {
        var uses = new Dictionary<string, Evidence>(StringComparer.Ordinal);
        var className = block.Identifier.ValueText;
        foreach (var file in files)
        {
            var importsBlock = file.Root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
                .OfType<UsingDirectiveSyntax>()
                .Any(u => u.StaticKeyword != default && u.NamespaceOrType is NameSyntax n && ConstantReader.LastName(n) == className);
            foreach (var id in file.Root.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                var name = id.Identifier.ValueText;
                if (!names.Contains(name) || uses.ContainsKey(name)) continue;
                if (file == blockFile && block.Span.Contains(id.Span)) continue;
                var qualified = id.Parent is MemberAccessExpressionSyntax m && m.Name == id;
                var used = qualified ? ConstantReader.LastName(((MemberAccessExpressionSyntax)id.Parent!).Expression) == className : importsBlock;
                if (used) uses[name] = file.At(id, $"uses {className}.{name}");
            }
        }
        return uses;
    }

    private static string Describe(MemberDeclarationSyntax member) => member switch
    {
        FieldDeclarationSyntax => "a field that is not const",
        PropertyDeclarationSyntax => "a property",
        MethodDeclarationSyntax => "a method",
        _ => "a " + member.Kind().ToString().Replace("Declaration", "", StringComparison.Ordinal).ToLowerInvariant(),
    };

    public static int Column(SourceFile file, SyntaxNode node) => node.GetLocation().GetLineSpan().StartLinePosition.Character + 1;
}

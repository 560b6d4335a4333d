using Autotune.Cli;
using Autotune.Detect;
using Autotune.Search;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Autotune.Rewrite.Init;

/// <summary>
/// `autotune init`'s engine. <see cref="Lift"/> reads a model without a block and plans one from
/// its literals; <see cref="Apply"/> writes that plan into a folder holding the same sources (the
/// model folder itself, or a trial workspace's copy), with the code's own values or any assignment
/// of the plan's search space. With the code's own values the program is the same program: each
/// literal is replaced by a const field of the literal's exact type and text.
/// </summary>
public static class InitLifter
{
    /// <summary>Roles whose value shapes tensors: tied per file, and lifted only when no other literal of that value in the file could be the same thing.</summary>
    private static bool IsStructural(LiftRole role) => role is LiftRole.Width or LiftRole.Kernel or LiftRole.Layers or LiftRole.BatchSize;

    /// <summary>Plans the block for the model in <paramref name="modelDir"/>; refuses (exit 2) a model with errors or with a block already.</summary>
    public static InitPlan Lift(string modelDir)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelDir));
        return Lift(root, ModelDetector.Detect(root), modelDir);
    }

    /// <summary>The same, for a model already detected (<paramref name="profile"/> of the full path <paramref name="root"/>; <paramref name="modelDir"/> as the user wrote it, for messages).</summary>
    public static InitPlan Lift(string root, ModelProfile profile, string modelDir)
    {
        if (profile.Errors.FirstOrDefault() is { } error) throw AutotuneException.Invalid($"{error}");
        if (profile.Block is { } block)
            throw AutotuneException.Invalid($"{block.File}:{block.Line}: {modelDir} already has a [Hyperparameters] block '{block.ClassName}': change its values with `autotune apply`");
        var problems = new List<DetectProblem>();
        var files = ModelDetector.Parse(ModelSources.Load(root, problems));
        return Plan(root, files, BlockTemplate.ForModel(root));
    }

    /// <summary>The plan for parsed sources (paths relative to <paramref name="root"/>).</summary>
    public static InitPlan Plan(string root, IReadOnlyList<SourceFile> files, BlockTemplate template)
    {
        var sites = LiteralFinder.Find(files);
        var methods = new UserMethods(files.Select(f => f.Root));
        var rateCeiling = AbsentArguments.RateCeiling(files, methods);
        var className = FreeName(files, "Hyper");
        var groups = Groups(sites);
        var taken = new HashSet<string>(StringComparer.Ordinal) { className };
        var members = new List<(LiftedBlock.Member Member, LiftRole Role, List<LiftSite> Sites)>();
        foreach (var group in groups)
        {
            var first = group[0];
            var representative = group.FirstOrDefault(s => s.Standalone) ?? group.FirstOrDefault(s => s.Side == WidthSide.Out) ?? first;
            var name = Unique(representative.NameHint, taken);
            var domain = LiftRoles.DefaultDomain(first.Role, LiteralFinder.Shown(first.Value, first.Type), first.Options, rateCeiling)!;
            members.Add((new LiftedBlock.Member(name, first.Type, domain, first.Literal.Token.Text), first.Role, group));
        }
        // Optimizer arguments the code left to their defaults, written in as named arguments.
        var insertions = new List<(LiftedBlock.Member Member, ArgumentInsertion Insertion)>();
        foreach (var insertion in AbsentArguments.Find(files, methods))
        {
            var name = Unique(LiftRoles.PreferredName(insertion.Argument, insertion.Role), taken);
            var domain = LiftRoles.DefaultDomain(insertion.Role, insertion.Value, null)!;
            insertions.Add((new LiftedBlock.Member(name, "double", domain, insertion.Literal), insertion));
        }
        var blockFile = FreeFile(root, files, className);
        var usesSdk = ReferencesSdk(root);
        var newline = files.Select(f => f.Text.ToString()).Select(NewlineOf).FirstOrDefault(n => n is not null) ?? "\n";
        var source = LiftedBlock.Render(className, [.. members.Select(m => m.Member), .. insertions.Select(i => i.Member)], usesSdk, template, newline);

        var parameters = new List<LiftedParameter>();
        foreach (var (member, role, group) in members)
        {
            var uses = new List<LiteralUse>();
            foreach (var site in group)
            {
                uses.Add(Use(site.File, site.Literal, $"{className}.{member.Name}"));
                if (site.Padding is { } padding) uses.Add(Use(site.File, padding, $"{className}.{member.Name} / 2"));
            }
            parameters.Add(new LiftedParameter(new Parameter(member.Name, member.Type, member.Domain, group[0].Value), role, member.Literal, uses));
        }
        foreach (var (member, insertion) in insertions)
        {
            var file = insertion.File;
            var separator = insertion.List.Arguments.Count > 0 ? ", " : "";
            var use = new LiteralUse(file.Path, file.LineOf(insertion.Position), insertion.Position, 0, "",
                $"{separator}{insertion.Argument}: {className}.{member.Name}");
            parameters.Add(new LiftedParameter(new Parameter(member.Name, member.Type, member.Domain, insertion.Value), insertion.Role, member.Literal, [use]));
        }
        var plan = new InitPlan(root, className, blockFile, usesSdk, source, parameters);
        return plan.IsEmpty ? plan : Verified(plan, files);
    }

    /// <summary>
    /// Groups sites that are one meaning: the same role, type and value (in the same file, for the
    /// roles that shape tensors). A layer's positional width joins only when the value also goes
    /// into another layer, and a structural value is dropped when some other literal of the file has
    /// it too: when unsure, nothing is lifted.
    /// </summary>
    private static List<List<LiftSite>> Groups(List<LiftSite> sites)
    {
        var claimed = sites.SelectMany(s => s.Padding is null ? [s.Literal] : new[] { s.Literal, s.Padding }).ToHashSet();
        var groups = new List<List<LiftSite>>();
        foreach (var g in sites.GroupBy(s => (s.Role, s.Type, Value: SearchValue.Format(s.Value), File: IsStructural(s.Role) ? s.File.Path : "",
                     Options: s.Options is null ? "" : string.Join("\u001f", s.Options))))
        {
            var group = g.OrderBy(s => s.File.Path, StringComparer.Ordinal).ThenBy(s => s.Position).ToList();
            var standalone = group.Any(s => s.Standalone);
            if (!standalone && !(group.Any(s => s.Side == WidthSide.Out) && group.Any(s => s.Side == WidthSide.In))) continue;
            if (IsStructural(g.Key.Role) && !IsEveryLoopsNumber(g.Key.Role, group[0].Value) && OtherLiteralsOfValue(group[0].File, group[0].Value, claimed)) continue;
            groups.Add(group);
        }
        return groups.OrderBy(g => g[0].File.Path, StringComparer.Ordinal).ThenBy(g => g[0].Position).ToList();
    }

    /// <summary>
    /// A layer count of 0 or 1 shares its value with every loop's start and step: no shape is computed
    /// from it, so the other literals say nothing about it (`var hiddenLayers = 1;` beside `epoch = 1`).
    /// </summary>
    private static bool IsEveryLoopsNumber(LiftRole role, object value) =>
        role == LiftRole.Layers && (SearchValue.AreEqual(value, 0L) || SearchValue.AreEqual(value, 1L));

    private static bool OtherLiteralsOfValue(SourceFile file, object value, HashSet<LiteralExpressionSyntax> claimed) =>
        file.Root.DescendantNodes().OfType<LiteralExpressionSyntax>()
            .Any(l => l.IsKind(SyntaxKind.NumericLiteralExpression) && !claimed.Contains(l) && LiteralFinder.Read(l) is var (v, _) && SearchValue.AreEqual(v, value));

    private static LiteralUse Use(SourceFile file, LiteralExpressionSyntax literal, string replacement) =>
        new(file.Path, file.LineOf(literal), literal.SpanStart, literal.Span.Length, literal.Token.Text, replacement);

    /// <summary>
    /// Applies the plan in <paramref name="folder"/> with the code's own values, or with
    /// <paramref name="values"/> (any subset of the plan's space, checked against it). The folder
    /// must hold the sources the plan was made from; files are written atomically, byte for byte
    /// the same outside the replaced literals. Returns what changed, block file first.
    /// </summary>
    public static IReadOnlyList<Rewrite> Apply(InitPlan plan, string folder, Assignment? values = null)
    {
        var changes = Changes(plan, folder, values);
        foreach (var (change, bom) in changes) BlockRewriter.WriteAtomically(change.Path, change.After, bom);
        return changes.Select(c => c.Rewrite).ToList();
    }

    /// <summary>What <see cref="Apply"/> would write, without writing it (for --dry-run and the diff).</summary>
    public static IReadOnlyList<Rewrite> Preview(InitPlan plan, string folder, Assignment? values = null) =>
        Changes(plan, folder, values).Select(c => c.Rewrite).ToList();

    private static List<(Rewrite Rewrite, bool Bom)> Changes(InitPlan plan, string folder, Assignment? values)
    {
        var result = new List<(Rewrite, bool)>();
        var blockPath = Path.Combine(folder, plan.BlockFile);
        if (File.Exists(blockPath))
            throw AutotuneException.Invalid($"{plan.BlockFile} already exists in {folder}: init writes the block into a new file; move that file or run init again");
        var block = plan.BlockSource;
        if (values is not null && values.Values.Count > 0)
        {
            var file = SourceFile.Parse(plan.BlockFile, blockPath, block);
            var read = HyperparameterBlockReader.Read([file], []) ?? throw new InvalidOperationException("the lifted block does not read back");
            block = BlockRewriter.Render(block, read, values);
        }
        result.Add((new Rewrite(blockPath, "", block), false));

        foreach (var relative in plan.EditedFiles)
        {
            var path = Path.Combine(folder, relative);
            var (text, bom) = BlockRewriter.ReadSource(path, relative);
            var uses = plan.Parameters.SelectMany(p => p.Uses).Where(u => u.File == relative).OrderBy(u => u.SpanStart).ToList();
            foreach (var u in uses)
                if (u.SpanStart + u.SpanLength > text.Length || string.CompareOrdinal(text, u.SpanStart, u.Literal, 0, u.SpanLength) != 0)
                    throw AutotuneException.Invalid($"{relative}:{u.Line}: the code changed since init read it (expected {u.Literal} there): run init again");
            var after = SourceText.From(text).WithChanges(uses.Select(u => new TextChange(new TextSpan(u.SpanStart, u.SpanLength), u.Replacement))).ToString();
            result.Add((new Rewrite(path, text, after), bom));
        }
        return result;
    }

    /// <summary>
    /// Checks the plan the way BlockRewriter checks a rewrite: the edited files parse with no new
    /// error, only the lifted literals changed, and Detect reads the new block back with every
    /// parameter, its space, its value and a use. A plan that fails this is a bug, never written.
    /// </summary>
    private static InitPlan Verified(InitPlan plan, IReadOnlyList<SourceFile> files)
    {
        var after = new List<SourceFile>();
        foreach (var file in files)
        {
            var uses = plan.Parameters.SelectMany(p => p.Uses).Where(u => u.File == file.Path).ToList();
            if (uses.Count == 0) { after.Add(file); continue; }
            var text = file.Text.WithChanges(uses.Select(u => new TextChange(new TextSpan(u.SpanStart, u.SpanLength), u.Replacement))).ToString();
            var parsed = SourceFile.Parse(file.Path, file.FullPath, text);
            var before = file.Tree.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
            if (parsed.Tree.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error) > before)
                throw new InvalidOperationException($"init's edit of {file.Path} does not parse");
            after.Add(parsed);
        }
        var blockFile = SourceFile.Parse(plan.BlockFile, Path.Combine(plan.ModelDir, plan.BlockFile), plan.BlockSource);
        var problems = new List<DetectProblem>();
        var block = HyperparameterBlockReader.Read([.. after, blockFile], problems)
            ?? throw new InvalidOperationException("the lifted block does not read back");
        if (problems.FirstOrDefault(p => p.IsError) is { } error) throw new InvalidOperationException($"the lifted block does not read back: {error}");
        var read = block.Parameters.ToDictionary(p => p.Name);
        // The plan's space is what Detect reads: the same values the tune loop and apply will see.
        var parameters = plan.Parameters.Select(p =>
        {
            var q = read.GetValueOrDefault(p.Name) ?? throw new InvalidOperationException($"parameter {p.Name} does not read back");
            if (!q.IsUsed || !SearchValue.AreEqual(q.Current, p.Parameter.Current) || q.Type != p.Parameter.Type)
                throw new InvalidOperationException($"parameter {p.Name} does not read back as lifted");
            return p with { Parameter = q.Parameter };
        }).ToList();
        return plan with { Parameters = parameters };
    }

    /// <summary>
    /// The plan with its block declaring these domains (autotune.json's "space"), each widened just
    /// enough to hold the code's own value: Detect refuses a block whose value lies outside its
    /// attribute, and the code as it is stays the baseline. The spaces are read back as Detect reads them.
    /// </summary>
    public static InitPlan WithDomains(InitPlan plan, IReadOnlyDictionary<string, Domain> domains, BlockTemplate template)
    {
        var members = plan.Parameters.Select(p => new LiftedBlock.Member(p.Name, p.Parameter.Type,
            domains.TryGetValue(p.Name, out var d) ? Holding(d, p.Parameter.Current) : p.Parameter.Domain, p.Literal)).ToList();
        var source = LiftedBlock.Render(plan.ClassName, members, plan.UsesSdk, template, NewlineOf(plan.BlockSource) ?? "\n");
        var file = SourceFile.Parse(plan.BlockFile, Path.Combine(plan.ModelDir, plan.BlockFile), source);
        var problems = new List<DetectProblem>();
        var read = HyperparameterBlockReader.Read([file], problems) ?? throw new InvalidOperationException("the lifted block does not read back");
        if (problems.FirstOrDefault(p => p.IsError) is { } error) throw new InvalidOperationException($"the lifted block does not read back: {error}");
        var byName = read.Parameters.ToDictionary(p => p.Name);
        return plan with { BlockSource = source, Parameters = plan.Parameters.Select(p => p with { Parameter = byName[p.Name].Parameter }).ToList() };
    }

    /// <summary>The domain, or the smallest widening of it that holds <paramref name="value"/>.</summary>
    private static Domain Holding(Domain domain, object value) => domain.Contains(value) ? domain : (domain, value) switch
    {
        (IntRange r, long v) => new IntRange(Math.Min(r.Min, v), Math.Max(r.Max, v), 1, r.Log && v > 0),
        (RealRange r, double v) => new RealRange(Math.Min(r.Min, v), Math.Max(r.Max, v), r.Log && v > 0),
        (Choice c, _) => new Choice([.. c.Values, value]),
        _ => domain,
    };

    private static string Unique(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var i = 2; !taken.Add(candidate); i++) candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return candidate;
    }

    /// <summary>A class name no identifier of the model uses, so <c>Hyper.X</c> can never be shadowed or clash.</summary>
    private static string FreeName(IReadOnlyList<SourceFile> files, string name)
    {
        var used = files.SelectMany(f => f.Root.DescendantTokens()).Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText).ToHashSet(StringComparer.Ordinal);
        var candidate = name;
        for (var i = 2; used.Contains(candidate) || used.Contains(candidate + "Attribute"); i++) candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return candidate;
    }

    private static string FreeFile(string root, IReadOnlyList<SourceFile> files, string className)
    {
        var names = files.Select(f => f.Path).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var candidate = className + ".cs";
        for (var i = 2; names.Contains(candidate) || File.Exists(Path.Combine(root, candidate)); i++) candidate = $"{className}.{i}.cs";
        return candidate;
    }

    /// <summary>True when a project file of the model references Autotune.Sdk (package or project).</summary>
    public static bool ReferencesSdk(string root) =>
        Directory.EnumerateFiles(root, "*.csproj").Any(p => Files.PathKinds.Of(p) == Files.PathKind.File
            && File.ReadAllText(p).Contains("Autotune.Sdk", StringComparison.OrdinalIgnoreCase));

    private static string? NewlineOf(string text)
    {
        var at = text.IndexOf('\n');
        return at < 0 ? null : at > 0 && text[at - 1] == '\r' ? "\r\n" : "\n";
    }
}

using Autotune.Detect;
using Autotune.Search;

namespace Autotune.Rewrite.Init;

/// <summary>
/// The source of the new file that holds a lifted block: the class rendered by the block template
/// (the repository's own, when it has one), and the attributes it needs. A project that references
/// Autotune.Sdk imports them; plain code gets file-local copies, so it builds with no new package
/// and Detect, which matches attributes by their short name, reads the block all the same.
/// </summary>
public static class LiftedBlock
{
    public sealed record Member(string Name, string Type, Domain Domain, string Literal);

    private static readonly string[] FileLocalAttributes =
    [
        "// The attributes autotune reads, declared in this file only: the project needs no package for them.",
        "file sealed class HyperparametersAttribute : System.Attribute { }",
        "file sealed class RangeAttribute : System.Attribute",
        "{",
        "    public RangeAttribute(long min, long max) { }",
        "    public RangeAttribute(double min, double max) { }",
        "    public double Step { get; init; }",
        "}",
        "file sealed class LogRangeAttribute : System.Attribute",
        "{",
        "    public LogRangeAttribute(double min, double max) { }",
        "}",
        "file sealed class ChoiceAttribute : System.Attribute",
        "{",
        "    public ChoiceAttribute(params object[] values) { }",
        "}",
    ];

    public static string Render(string className, IReadOnlyList<Member> members, bool usesSdk, BlockTemplate template, string newline)
    {
        var model = new BlockModel(["[Hyperparameters]"], "public static", className, "", "    ",
            members.Select(m => new BlockModel.Member(m.Name, m.Type, Attribute(m), "public const", m.Literal, [], "")).ToList(), []);
        var lines = new List<string>
        {
            "// Written by `autotune init`: literals of this model lifted into a block, each with a default search space.",
            "// Edit the spaces freely; autotune reads them from here.",
        };
        if (usesSdk) lines.AddRange(["using Autotune;", ""]);
        else lines.Add("");
        var rendered = template.Render(model);
        lines.AddRange(rendered.TrimEnd('\n').Split('\n'));
        if (!usesSdk) { lines.Add(""); lines.AddRange(FileLocalAttributes); }
        return string.Join(newline, lines) + newline;
    }

    /// <summary>The search space as an attribute, its values as C# literals of the parameter's type.</summary>
    public static string Attribute(Member m)
    {
        var type = ParameterType.FromSyntax(m.Type).Type!;
        string L(object v) => CSharpLiteral.Render(v, type, m.Name);
        return m.Domain switch
        {
            IntRange r => $"[{(r.Log ? "LogRange" : "Range")}({L(r.Min)}, {L(r.Max)}{(r.Step > 1 ? $", Step = {r.Step}" : "")})]",
            RealRange r => $"[{(r.Log ? "LogRange" : "Range")}({L(r.Min)}, {L(r.Max)})]",
            Choice c => $"[Choice({string.Join(", ", c.Values.Select(L))})]",
            _ => throw new ArgumentException($"no attribute for {m.Domain}"),
        };
    }
}

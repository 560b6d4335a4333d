using System.Reflection;
using Scriban;
using Scriban.Runtime;

namespace Autotune.Rewrite;

/// <summary>
/// The Scriban template that renders a hyperparameter block. The default ships inside the tool
/// (templates/block.scriban); a repository overrides it with <c>autotune.block.scriban</c> in the model folder.
/// Templates see only the variables of <see cref="BlockModel"/>; values reach them as finished C# literals.
/// </summary>
public sealed class BlockTemplate
{
    public const string OverrideFile = "autotune.block.scriban";
    private const string ResourceName = "Autotune.templates.block.scriban";
    private static readonly Lazy<BlockTemplate> builtin = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from the tool");
        return Parse(new StreamReader(stream).ReadToEnd(), "templates/block.scriban (built in)");
    });

    private readonly Template template;
    public string Source { get; }

    private BlockTemplate(Template template, string source) => (this.template, Source) = (template, source);

    public static BlockTemplate Default => builtin.Value;

    /// <summary>The model folder's own template when it has one, else the default.</summary>
    public static BlockTemplate ForModel(string modelDir)
    {
        var path = Path.Combine(modelDir, OverrideFile);
        return File.Exists(path) ? Parse(Detect.RepositoryFile.ReadAllText(modelDir, path), path) : Default;
    }

    public static BlockTemplate Parse(string text, string source)
    {
        var parsed = Template.Parse(text.ReplaceLineEndings("\n"), source);
        if (parsed.HasErrors)
            throw Cli.AutotuneException.Invalid($"block template {source} does not parse: {string.Join("; ", parsed.Messages.Select(m => m.ToString()))}");
        return new BlockTemplate(parsed, source);
    }

    /// <summary>Renders the block; line endings of the result are '\n'.</summary>
    public string Render(BlockModel model)
    {
        var globals = new ScriptObject
        {
            ["class_attributes"] = new ScriptArray(model.ClassAttributes),
            ["modifiers"] = model.Modifiers,
            ["name"] = model.Name,
            ["indent"] = model.Indent,
            ["member_indent"] = model.MemberIndent,
            ["attribute_width"] = model.Parameters.Select(p => p.Attributes.Length).DefaultIfEmpty(0).Max(),
            ["type_width"] = model.Parameters.Select(p => p.Type.Length).DefaultIfEmpty(0).Max(),
            ["name_width"] = model.Parameters.Select(p => p.Name.Length).DefaultIfEmpty(0).Max(),
            ["closing_comments"] = new ScriptArray(model.ClosingComments),
        };
        var parameters = new ScriptArray();
        foreach (var p in model.Parameters)
            parameters.Add(new ScriptObject
            {
                ["name"] = p.Name, ["type"] = p.Type, ["attributes"] = p.Attributes, ["modifiers"] = p.Modifiers,
                ["literal"] = p.Literal, ["comments"] = new ScriptArray(p.Comments), ["trailing_comment"] = p.TrailingComment,
            });
        globals["parameters"] = parameters;
        var context = new TemplateContext { StrictVariables = true, LoopLimit = 10_000, RecursiveLimit = 20 };
        context.PushGlobal(globals);
        try
        {
            return template.Render(context).ReplaceLineEndings("\n");
        }
        catch (Scriban.Syntax.ScriptRuntimeException e)
        {
            throw Cli.AutotuneException.Invalid($"block template {Source} failed: {e.OriginalMessage}");
        }
    }
}

/// <summary>What a block template sees: the block as it is, with each parameter's value already a C# literal.</summary>
public sealed record BlockModel(IReadOnlyList<string> ClassAttributes, string Modifiers, string Name, string Indent, string MemberIndent,
    IReadOnlyList<BlockModel.Member> Parameters, IReadOnlyList<string> ClosingComments)
{
    public sealed record Member(string Name, string Type, string Attributes, string Modifiers, string Literal, IReadOnlyList<string> Comments, string TrailingComment);
}

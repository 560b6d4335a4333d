using Autotune.Search;

namespace Autotune.Detect;

/// <summary>
/// One tunable constant of the block: its declared search space (<see cref="Parameter"/>, whose
/// Current is the value in the code), where it is declared, its attributes as written, and where
/// the rest of the code uses it (null when nowhere: tuning it would change nothing).
/// </summary>
public sealed record BlockParameter(Parameter Parameter, int Line, string Attributes, Evidence? FirstUse)
{
    public string Name => Parameter.Name;
    public string Type => Parameter.Type;
    public object Current => Parameter.Current;
    public Domain Domain => Parameter.Domain;
    public bool IsUsed => FirstUse is not null;
}

/// <summary>
/// The <c>[Hyperparameters]</c> class: its file, the exact span of the class declaration
/// (attributes included, surrounding trivia excluded) in characters of the decoded text,
/// its name and its parameters in declaration order. Rewrite replaces exactly this span.
/// </summary>
public sealed record HyperparameterBlock(string File, string FullPath, int SpanStart, int SpanLength, int Line, string ClassName,
    IReadOnlyList<BlockParameter> Parameters)
{
    public SearchSpace SearchSpace { get; } = new(Parameters.Select(p => p.Parameter).ToList());
}

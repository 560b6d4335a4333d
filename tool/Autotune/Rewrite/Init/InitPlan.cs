using Autotune.Search;

namespace Autotune.Rewrite.Init;

/// <summary>One literal of the user's code that becomes a use of the block: its exact span and text, and what replaces it.</summary>
public sealed record LiteralUse(string File, int Line, int SpanStart, int SpanLength, string Literal, string Replacement);

/// <summary>A parameter init lifted: its search space (as Detect reads it back), why, and every literal it replaces.</summary>
public sealed record LiftedParameter(Parameter Parameter, LiftRole Role, string Literal, IReadOnlyList<LiteralUse> Uses)
{
    public string Name => Parameter.Name;
}

/// <summary>
/// What `autotune init` proposes for a model without a block: a new file holding the block
/// (<see cref="BlockFile"/>, relative to the model folder, with the code's own literals as values)
/// and the literals to replace by <c>ClassName.Name</c>. It is data: <see cref="InitLifter.Apply"/>
/// writes it into the model folder or into a trial workspace's copy, with any values of its space.
/// </summary>
public sealed record InitPlan(string ModelDir, string ClassName, string BlockFile, bool UsesSdk, string BlockSource,
    IReadOnlyList<LiftedParameter> Parameters)
{
    // Computed, not stored: a copy made with `with { Parameters = ... }` must not keep the old space.
    public SearchSpace SearchSpace => new(Parameters.Select(p => p.Parameter).ToList());

    public bool IsEmpty => Parameters.Count == 0;

    /// <summary>The files the plan edits (relative paths), in order.</summary>
    public IEnumerable<string> EditedFiles => Parameters.SelectMany(p => p.Uses).Select(u => u.File).Distinct().Order(StringComparer.Ordinal);
}

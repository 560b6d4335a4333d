using Autotune.Search;

namespace Autotune.Tune;

/// <summary>Everything one `autotune run` is run with, after autotune.json and flags were merged.</summary>
public sealed record TuneSettings(
    Target Target,
    int MaxTrials = 20,
    int? MaxEpochs = null,
    TimeSpan? Timeout = null,
    string Strategy = Strategies.Default,
    int Seed = 0,
    string Device = "auto",
    int Retries = 2,
    bool Apply = true,
    bool Asha = true,
    int PlateauPatience = 3,
    string? StudyName = null,
    TimeSpan? SilenceLimit = null,
    int Parallel = 1,
    Train.Metrics.ProgramOutput? Output = null,
    bool Init = true);
// Init: a model without a block is tuned through the block init lifts from its literals (false: --no-init, refused).
// Output: how metrics are read when the project does not use the SDK (null: the defaults for such a project).

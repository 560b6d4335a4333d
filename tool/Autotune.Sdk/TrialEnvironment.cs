namespace Autotune;

/// <summary>
/// The environment variables through which the tool hands a model program its trial.
/// One place, shared by the SDK and the tool, so the two cannot drift apart.
/// </summary>
public static class TrialEnvironment
{
    /// <summary>Folder of the trial: metrics, checkpoints, log, control file.</summary>
    public const string Folder = "AUTOTUNE_TRIAL_DIR";
    public const string Number = "AUTOTUNE_TRIAL_NUMBER";
    public const string Seed = "AUTOTUNE_SEED";
    /// <summary>Overrides the epoch count of the block: the tool extends or shortens a trial through it.</summary>
    public const string MaxEpochs = "AUTOTUNE_MAX_EPOCHS";
    /// <summary>auto, cpu, cuda or cuda:N.</summary>
    public const string Device = "AUTOTUNE_DEVICE";
    /// <summary>Set by the tool when it restarts a program that died: the program resumes from its last checkpoint.</summary>
    public const string Attempt = "AUTOTUNE_ATTEMPT";

    /// <summary>Prefix of the lines a program prints for the tool; everything else is the program's own output.</summary>
    public const string LinePrefix = "@@autotune ";
    public const string MetricsFile = "metrics.jsonl";
    public const string CheckpointFolder = "checkpoints";
    /// <summary>A file the tool writes into the trial folder to ask the program to stop after the current epoch.</summary>
    public const string StopFile = "stop";
    /// <summary>The exit code of a program that ended through <see cref="Trial.Fail"/> (EX_TEMPFAIL-like, never a signal).</summary>
    public const int FailExitCode = 75;
}

/// <summary>What kind of failure a program reports through <see cref="Trial.Fail"/>.</summary>
public enum TrialFailure
{
    /// <summary>The machine lacks what was asked for (a CUDA device): not worth retrying.</summary>
    Infrastructure,
    /// <summary>The trial's settings or data are wrong.</summary>
    InvalidInput,
    /// <summary>The model itself failed (diverged, NaN).</summary>
    Model,
}

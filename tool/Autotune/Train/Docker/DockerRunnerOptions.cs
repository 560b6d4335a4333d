namespace Autotune.Train.Docker;

/// <summary>
/// How the Docker runner makes its containers. <paramref name="CpuImage"/> is what `--gpus auto` falls
/// back to on an engine without the NVIDIA runtime (null: the same image). <paramref name="User"/> null
/// means the caller's uid:gid (1000:1000 when the caller is root). <paramref name="SourceFolder"/> is the model's
/// source, mounted read-only (null: not mounted); <paramref name="StorePath"/> the study store restarts are
/// recorded in, carried on the container as a label so `autotune monitor` records its restarts there too.
/// <paramref name="Mounts"/> and <paramref name="Environment"/> are what the user adds: data folders and variables.
/// </summary>
public sealed record DockerRunnerOptions(
    DockerEndpoint Endpoint,
    string Image,
    string Study,
    GpuRequest? Gpus = null,
    string? CpuImage = null,
    long? MemoryBytes = null,
    double? Cpus = null,
    string Network = "none",
    string? User = null,
    string? SourceFolder = null,
    string? StorePath = null,
    IReadOnlyList<DataMount>? Mounts = null,
    IReadOnlyDictionary<string, string>? Environment = null);

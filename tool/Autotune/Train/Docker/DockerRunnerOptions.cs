namespace Autotune.Train.Docker;

/// <summary>
/// How the Docker runner makes its containers. <paramref name="CpuImage"/> is what `--gpus auto` falls
/// back to on an engine without the NVIDIA runtime (null: the same image). <paramref name="User"/> null
/// means the caller's uid:gid (1000:1000 when the caller is root).
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
    string? User = null);

using Docker.DotNet.Models;

namespace Autotune.Train.Docker;

/// <summary>How a trial container ended, read from the engine's view of it.</summary>
public enum ContainerEnd { Completed, Failed, Killed, OutOfMemory }

public static class ContainerOutcome
{
    /// <summary>
    /// OOMKilled wins over the exit code (the kernel's kill reads as 137 too); 137 alone is a kill from
    /// outside (docker kill, a supervisor); anything else non-zero is the program's own failure.
    /// </summary>
    public static ContainerEnd Classify(ContainerState state) =>
        state.OOMKilled ? ContainerEnd.OutOfMemory
        : state.ExitCode == 0 ? ContainerEnd.Completed
        : state.ExitCode == 137 ? ContainerEnd.Killed
        : ContainerEnd.Failed;

    public static string OutOfMemoryMessage(string program, long? limitBytes) =>
        $"{program}: the container ran out of memory and the kernel killed it (OOMKilled{(limitBytes is { } l ? $", limit {l / (1024 * 1024)} MiB" : "")}): lower the batch size or raise --memory";
}

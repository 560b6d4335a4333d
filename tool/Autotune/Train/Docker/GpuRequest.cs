using Autotune.Cli;
using Docker.DotNet.Models;

namespace Autotune.Train.Docker;

/// <summary>What to do when the engine has no NVIDIA runtime.</summary>
public enum GpuPolicy { None, FallBackToCpu, Required }

/// <summary>
/// The GPUs a container asks for (`--gpus none|auto|required|all|N|device=ID,...`): all of them
/// (Count -1), a count, or device ids; and whether running on the CPU instead is acceptable.
/// Only `auto` falls back to the CPU: any explicit request is required.
/// </summary>
public sealed record GpuRequest(GpuPolicy Policy, int Count = -1, IReadOnlyList<string>? DeviceIds = null)
{
    public static readonly GpuRequest None = new(GpuPolicy.None);

    public bool Wanted => Policy != GpuPolicy.None;

    public static GpuRequest Parse(string? text)
    {
        var v = (text ?? "none").Trim();
        switch (v)
        {
            case "" or "none": return None;
            case "auto": return new GpuRequest(GpuPolicy.FallBackToCpu);
            case "required" or "all": return new GpuRequest(GpuPolicy.Required);
        }
        if (int.TryParse(v, out var count))
            return count >= 1 ? new GpuRequest(GpuPolicy.Required, count)
                : throw AutotuneException.Invalid($"--gpus {v}: a GPU count must be at least 1 (use --gpus none for no GPU)");
        var ids = (v.StartsWith("device=", StringComparison.Ordinal) ? v["device=".Length..] : v)
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length == 0 || ids.Any(id => !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':')))
            throw AutotuneException.Invalid($"--gpus '{v}' is not one of none, auto, required, all, a count, or device ids (device=0,1 or GPU-uuid)");
        return new GpuRequest(GpuPolicy.Required, 0, ids);
    }

    /// <summary>The Engine API form: one request for the nvidia driver with the "gpu" capability.</summary>
    public IList<DeviceRequest> ToDeviceRequests() => !Wanted ? [] :
    [
        new DeviceRequest
        {
            Driver = "nvidia",
            Count = DeviceIds is { Count: > 0 } ? 0 : Count,
            DeviceIDs = DeviceIds is { Count: > 0 } ? DeviceIds.ToList() : null,
            Capabilities = [new List<string> { "gpu" }],
        },
    ];

    public override string ToString() => Policy switch
    {
        GpuPolicy.None => "none",
        GpuPolicy.FallBackToCpu => "auto",
        _ => DeviceIds is { Count: > 0 } ? "device=" + string.Join(',', DeviceIds) : Count < 0 ? "all" : Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>True when a start failed because the engine cannot hand out NVIDIA GPUs.</summary>
    public static bool IsMissingNvidiaRuntime(string? error) =>
        error is not null && error.Contains("could not select device driver", StringComparison.OrdinalIgnoreCase);
}

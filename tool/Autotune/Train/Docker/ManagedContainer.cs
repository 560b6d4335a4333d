using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Autotune.Train.Docker;

/// <summary>
/// A trial container found on the engine by its labels, read back into what it takes to run its
/// trial again: the runner options, the program, the trial folder, the settings and the extra environment.
/// </summary>
public sealed record ManagedContainer(
    string Id,
    string State,
    long ExitCode,
    bool OutOfMemory,
    string Study,
    string TrialFolder,
    DockerRunnerOptions Runner,
    BuiltProgram Program,
    TrialSettings Settings,
    IReadOnlyDictionary<string, string> ExtraEnvironment)
{
    public bool Running => State is "running" or "restarting" or "paused";

    /// <summary>Every container autotune made on this engine, of one study or all.</summary>
    public static async Task<IReadOnlyList<ManagedContainer>> FindAsync(DockerClient client, DockerEndpoint endpoint, string? study, CancellationToken cancel)
    {
        var labels = new Dictionary<string, bool> { [TrialContainer.Label.Managed + "=true"] = true };
        if (study is not null) labels[TrialContainer.Label.Study + "=" + study] = true;
        var found = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels },
        }, cancel);
        var result = new List<ManagedContainer>();
        foreach (var c in found.OrderBy(c => c.Created))
            if (Read(await client.Containers.InspectContainerAsync(c.ID, cancel), endpoint) is { } m) result.Add(m);
        return result;
    }

    /// <summary>Null for a container that lacks what autotune puts on its own (a foreign one, or one from an older version).</summary>
    public static ManagedContainer? Read(ContainerInspectResponse c, DockerEndpoint endpoint)
    {
        var labels = c.Config.Labels ?? new Dictionary<string, string>();
        var program = c.HostConfig.Mounts?.FirstOrDefault(m => m.Target == TrialContainer.ProgramMount);
        if (!labels.TryGetValue(TrialContainer.Label.TrialFolder, out var trialFolder) || program is null || c.Config.Cmd is not { Count: >= 2 })
            return null;
        var env = (c.Config.Env ?? []).Select(e => e.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
        int? Int(string key) => env.TryGetValue(key, out var v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
        var settings = new TrialSettings(
            Number: Int(TrialEnvironment.Number) ?? 0,
            Seed: Int(TrialEnvironment.Seed),
            Epochs: Int(TrialEnvironment.MaxEpochs),
            Device: env.GetValueOrDefault(TrialEnvironment.Device, "auto"));
        // What the supervisor sets itself, and what the image or the runner adds, is not carried over.
        var own = new HashSet<string>(StringComparer.Ordinal)
        {
            TrialEnvironment.Folder, TrialEnvironment.Number, TrialEnvironment.Seed, TrialEnvironment.MaxEpochs,
            TrialEnvironment.Device, TrialEnvironment.Attempt, "HOME", "PATH", "DOTNET_CLI_TELEMETRY_OPTOUT",
        };
        var extra = env.Where(kv => !own.Contains(kv.Key) && !kv.Key.StartsWith("DOTNET_", StringComparison.Ordinal) && !kv.Key.StartsWith("NVIDIA_", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        var gpus = c.HostConfig.DeviceRequests is { Count: > 0 } requests && requests[0] is var r
            ? new GpuRequest(GpuPolicy.Required, (int)r.Count, r.DeviceIDs is { Count: > 0 } ids ? ids.ToList() : null)
            : GpuRequest.None;
        var runner = new DockerRunnerOptions(endpoint, c.Config.Image, (labels.TryGetValue(TrialContainer.Label.Study, out var study) ? study : ""), gpus,
            MemoryBytes: c.HostConfig.Memory > 0 ? c.HostConfig.Memory : null,
            Cpus: c.HostConfig.NanoCPUs > 0 ? c.HostConfig.NanoCPUs / 1e9 : null,
            Network: string.IsNullOrEmpty(c.HostConfig.NetworkMode) ? "none" : c.HostConfig.NetworkMode,
            User: string.IsNullOrEmpty(c.Config.User) ? null : c.Config.User,
            SourceFolder: labels.TryGetValue(TrialContainer.Label.Source, out var source) ? source : null,
            StorePath: labels.TryGetValue(TrialContainer.Label.Store, out var store) ? store : null);
        var built = new BuiltProgram(program.Source, Path.Combine(program.Source, Path.GetFileName(c.Config.Cmd[1])), TimeSpan.Zero, []);
        return new ManagedContainer(c.ID, c.State.Status, c.State.ExitCode, c.State.OOMKilled, runner.Study, trialFolder, runner, built, settings, extra);
    }
}

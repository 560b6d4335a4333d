using System.Diagnostics;
using System.Net;
using System.Text;
using Autotune.Cli;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Autotune.Train.Docker;

/// <summary>
/// Runs a trial's program in a container through the Engine API: creates it from a validated
/// <see cref="TrialContainer"/>, streams its log line by line, classifies how it ended, and removes it.
/// </summary>
public sealed class DockerRunner(DockerRunnerOptions options) : IRunner
{
    /// <summary>Written into the trial folder while the container runs, so supervisors and tests can find it.</summary>
    public const string ContainerIdFile = "container.id";

    private GpuRequest gpus = options.Gpus ?? GpuRequest.None;
    private string image = options.Image;

    public string Name => "docker";

    /// <summary>The id of the container running now (null between runs).</summary>
    public string? CurrentContainer { get; private set; }

    public async Task<RunOutcome> RunAsync(TrialLaunch launch, Action<string> onLine, CancellationToken cancel)
    {
        using var client = options.Endpoint.Connect();
        await options.Endpoint.EnsureReachableAsync(client, cancel);
        await RemoveLeftoverAsync(client, launch.TrialFolder, onLine);
        var spec = Describe(launch).Validate();
        var id = await CreateAndStartAsync(client, spec, onLine, cancel);
        return await FollowAsync(client, id, launch.Program, launch.TrialFolder, spec.MemoryBytes, onLine, launch.SilenceLimit, null, cancel);
    }

    /// <summary>
    /// Re-attaches to a trial container that is already running (started by an earlier controller):
    /// streams its log from now on, waits for its end, classifies and removes it, as for one it started.
    /// </summary>
    public async Task<RunOutcome> AttachAsync(string id, BuiltProgram program, string trialFolder, Action<string> onLine, TimeSpan silenceLimit, CancellationToken cancel)
    {
        using var client = options.Endpoint.Connect();
        await options.Endpoint.EnsureReachableAsync(client, cancel);
        return await FollowAsync(client, id, program, trialFolder, options.MemoryBytes, onLine, silenceLimit, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), cancel);
    }

    private async Task<RunOutcome> FollowAsync(DockerClient client, string id, BuiltProgram program, string trialFolder, long? memory,
        Action<string> onLine, TimeSpan silenceLimit, long? since, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var idFile = Path.Combine(trialFolder, ContainerIdFile);
        try
        {
            CurrentContainer = id;
            File.WriteAllText(idFile, id);
            var silent = await StreamLogsAsync(client, id, onLine, silenceLimit, since, cancel);
            await client.Containers.WaitContainerAsync(id, CancellationToken.None);
            var state = (await client.Containers.InspectContainerAsync(id, CancellationToken.None)).State;
            if (ContainerOutcome.Classify(state) == ContainerEnd.OutOfMemory && !silent)
            {
                var message = ContainerOutcome.OutOfMemoryMessage(program.Assembly, memory);
                onLine("autotune: " + message);
                throw new AutotuneException(ExitCodes.ModelFailed, message);
            }
            return new RunOutcome((int)state.ExitCode, silent, clock.Elapsed);
        }
        catch (Exception e) when (DockerEndpoint.IsUnreachable(e) && !cancel.IsCancellationRequested)
        {
            throw options.Endpoint.Unreachable(e);
        }
        finally
        {
            CurrentContainer = null;
            File.Delete(idFile);
            await RemoveAsync(client, id);
        }
    }

    /// <summary>
    /// A controller killed while its trial ran leaves the container running and its id in the trial folder:
    /// it is removed before the trial starts again from its checkpoint, so two programs never share the folder.
    /// </summary>
    private static async Task RemoveLeftoverAsync(DockerClient client, string trialFolder, Action<string> onLine)
    {
        var idFile = Path.Combine(trialFolder, ContainerIdFile);
        if (!File.Exists(idFile)) return;
        var id = File.ReadAllText(idFile).Trim();
        File.Delete(idFile);
        if (id.Length == 0) return;
        try { await client.Containers.InspectContainerAsync(id, CancellationToken.None); }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound) { return; }
        await RemoveAsync(client, id);
        onLine($"autotune: removed container {id[..Math.Min(12, id.Length)]}, left running by a controller that stopped, before this start");
    }

    /// <summary>The container for one start of the trial's program.</summary>
    public TrialContainer Describe(TrialLaunch launch)
    {
        var (uid, gid) = options.User is null ? ContainerUser.ForCaller() : ParseUser(options.User);
        if (options.User is null)
        {
            ContainerUser.GiveFolder(launch.TrialFolder, uid, gid);
            if (options.SourceFolder is { } sourceFolder) ContainerUser.EnsureReachable(sourceFolder, launch.TrialFolder);
        }
        var labels = new Dictionary<string, string>
        {
            [TrialContainer.Label.Managed] = "true",
            [TrialContainer.Label.Study] = options.Study,
            [TrialContainer.Label.Trial] = Path.GetFileName(launch.TrialFolder.TrimEnd('/')),
            [TrialContainer.Label.TrialFolder] = launch.TrialFolder,
        };
        if (launch.Environment.TryGetValue(TrialEnvironment.Attempt, out var attempt)) labels[TrialContainer.Label.Attempt] = attempt;
        if (options.SourceFolder is { } source) labels[TrialContainer.Label.Source] = Path.GetFullPath(source);
        if (options.StorePath is { } store) labels[TrialContainer.Label.Store] = Path.GetFullPath(store);
        var env = new Dictionary<string, string>(options.Environment ?? new Dictionary<string, string>());
        foreach (var (key, value) in launch.Environment) env[key] = value;
        env.TryAdd("HOME", "/tmp");
        env.TryAdd("DOTNET_CLI_TELEMETRY_OPTOUT", "1");
        if (!gpus.Wanted && image != options.Image) env[TrialEnvironment.Device] = "cpu";
        return new TrialContainer(image, launch.Program.Folder, launch.Program.Assembly, launch.TrialFolder, env,
            $"{uid}:{gid}", labels, gpus, options.MemoryBytes, options.Cpus, options.Network,
            options.SourceFolder is { } s ? Path.GetFullPath(s) : null, options.Mounts);
    }

    private async Task<string> CreateAndStartAsync(DockerClient client, TrialContainer spec, Action<string> onLine, CancellationToken cancel)
    {
        string id;
        try
        {
            id = (await client.Containers.CreateContainerAsync(spec.ToParameters(), cancel)).ID;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw AutotuneException.Invalid(
                $"image {spec.Image} is not on the Docker engine at {options.Endpoint.Uri}: build it with `autotune image build <model-dir>` and pass the tag it prints with --image");
        }
        catch (DockerApiException e)
        {
            throw new AutotuneException(ExitCodes.Infrastructure, $"the Docker engine at {options.Endpoint.Uri} refused to create the trial container: {EngineMessage(e)}");
        }
        try
        {
            await client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancel);
            return id;
        }
        catch (DockerApiException e)
        {
            await RemoveAsync(client, id);
            var why = EngineMessage(e);
            if (!GpuRequest.IsMissingNvidiaRuntime(why))
                throw new AutotuneException(ExitCodes.Infrastructure, $"the trial container did not start on the Docker engine at {options.Endpoint.Uri}: {why}");
            if (gpus.Policy != GpuPolicy.FallBackToCpu)
                throw new AutotuneException(ExitCodes.Infrastructure,
                    $"--gpus {gpus}: the Docker engine at {options.Endpoint.Uri} has no NVIDIA runtime ({why}); install the NVIDIA Container Toolkit there, run on a GPU agent, or pass --gpus auto to fall back to the CPU");
            // Remembered for later restarts of this trial: the engine will not grow a GPU between them.
            gpus = GpuRequest.None;
            image = options.CpuImage ?? options.Image;
            onLine($"autotune: the Docker engine at {options.Endpoint.Uri} has no NVIDIA runtime ({why}); --gpus auto falls back to the CPU image {image}");
            var cpu = spec.WithoutGpus(image).Validate();
            return await CreateAndStartAsync(client, cpu, onLine, cancel);
        }
        catch
        {
            await RemoveAsync(client, id); // cancelled or cut off between create and start: leave nothing behind
            throw;
        }
    }

    /// <summary>Follows the log until the container exits; kills it when it stays silent too long. True when it did.</summary>
    private static async Task<bool> StreamLogsAsync(DockerClient client, string id, Action<string> onLine, TimeSpan silenceLimit, long? since, CancellationToken cancel)
    {
        var lastOutput = Stopwatch.StartNew();
        var silent = false;
        var gate = new object();
        void Line(string text) { lock (gate) { lastOutput.Restart(); onLine(text); } }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var watchdog = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try { await Task.Delay(TimeSpan.FromMilliseconds(500), stop.Token); } catch (OperationCanceledException) { return; }
                if (lastOutput.Elapsed > silenceLimit)
                {
                    silent = true;
                    await KillAsync(client, id);
                    return;
                }
            }
        }, CancellationToken.None);

        try
        {
            using var stream = await client.Containers.GetContainerLogsAsync(id, tty: false,
                new ContainerLogsParameters { Follow = true, ShowStdout = true, ShowStderr = true, Since = since?.ToString(System.Globalization.CultureInfo.InvariantCulture) }, cancel);
            var splitters = new Dictionary<MultiplexedStream.TargetStream, LineSplitter>();
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancel);
                if (read.EOF) break;
                if (!splitters.TryGetValue(read.Target, out var splitter)) splitters[read.Target] = splitter = new LineSplitter(Line);
                splitter.Add(buffer.AsSpan(0, read.Count));
            }
            foreach (var s in splitters.Values) s.Flush();
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await KillAsync(client, id);
            throw;
        }
        finally
        {
            await stop.CancelAsync();
            await watchdog;
        }
        return silent;
    }

    private static async Task KillAsync(DockerClient client, string id)
    {
        try { await client.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "KILL" }, CancellationToken.None); }
        catch (DockerApiException) { } // already gone or already stopped
    }

    public static async Task RemoveAsync(DockerClient client, string id)
    {
        try { await client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, CancellationToken.None); }
        catch (DockerApiException) { } // already removed
        catch (Exception e) when (DockerEndpoint.IsUnreachable(e)) { } // the engine went away: nothing left to remove from here
    }

    /// <summary>The engine's own words, without the JSON around them.</summary>
    public static string EngineMessage(DockerApiException e)
    {
        var body = e.ResponseBody ?? "";
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("message", out var m)) return m.GetString() ?? body;
        }
        catch (System.Text.Json.JsonException) { }
        return string.IsNullOrWhiteSpace(body) ? $"HTTP {(int)e.StatusCode}" : body.Trim();
    }

    private static (uint, uint) ParseUser(string user)
    {
        var parts = user.Split(':');
        if (parts.Length == 2 && uint.TryParse(parts[0], out var u) && uint.TryParse(parts[1], out var g)) return (u, g);
        throw AutotuneException.Invalid($"container user '{user}' is not uid:gid (numbers, such as 1000:1000)");
    }

    /// <summary>Bytes in, whole UTF-8 lines out; a line split across frames is joined.</summary>
    private sealed class LineSplitter(Action<string> onLine)
    {
        private readonly Decoder decoder = Encoding.UTF8.GetDecoder();
        private readonly StringBuilder pending = new();

        public void Add(ReadOnlySpan<byte> bytes)
        {
            var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
            var n = decoder.GetChars(bytes, chars, flush: false);
            for (var i = 0; i < n; i++)
            {
                if (chars[i] == '\n')
                {
                    var line = pending.ToString().TrimEnd('\r');
                    pending.Clear();
                    onLine(line);
                }
                else pending.Append(chars[i]);
            }
        }

        public void Flush()
        {
            if (pending.Length > 0) onLine(pending.ToString().TrimEnd('\r'));
            pending.Clear();
        }
    }
}

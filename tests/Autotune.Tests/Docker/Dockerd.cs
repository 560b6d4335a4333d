using System.Diagnostics;
using Docker.DotNet;

namespace Autotune.Tests.Docker;

/// <summary>
/// A real dockerd in a scratch folder (ENVIRONMENT.md): its own data root, exec root and unix socket,
/// no bridge, no iptables. Stopped by its PID, then its netns mount is released, whatever the tests did.
/// </summary>
public sealed class Dockerd : IAsyncDisposable
{
    private readonly Process process;
    public string Folder { get; }
    public string Endpoint => "unix://" + Path.Combine(Folder, "docker.sock");

    private Dockerd(string folder, Process process)
    {
        Folder = folder;
        this.process = process;
    }

    /// <summary>The dockerd binary (AUTOTUNE_DOCKERD, else where Debian's docker.io puts it), or null when there is none.</summary>
    public static string? Find() =>
        Environment.GetEnvironmentVariable("AUTOTUNE_DOCKERD") is { Length: > 0 } chosen
            ? (File.Exists(chosen) ? chosen : null)
            : new[] { "/usr/sbin/dockerd", "/usr/bin/dockerd", "/usr/local/bin/dockerd" }.FirstOrDefault(File.Exists);

    /// <param name="extraPath">A folder put first on dockerd's PATH (the fake NVIDIA hook lives there).</param>
    public static async Task<Dockerd> StartAsync(string name, string? extraPath = null)
    {
        var binary = Find() ?? throw new InvalidOperationException("dockerd not found");
        // Short: a unix socket path must stay under 108 bytes.
        var folder = Path.Combine("/tmp", $"atd-{name}-{Environment.ProcessId}");
        if (Directory.Exists(folder)) await CleanAsync(folder);
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo(binary)
        {
            ArgumentList =
            {
                "--data-root", Path.Combine(folder, "data"), "--exec-root", Path.Combine(folder, "exec"),
                "--pidfile", Path.Combine(folder, "dockerd.pid"), "-H", "unix://" + Path.Combine(folder, "docker.sock"),
                "--storage-driver=overlay2", "--iptables=false", "--ip6tables=false", "--bridge=none",
                "--ip-forward=false", "--ip-masq=false",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (extraPath is not null) start.Environment["PATH"] = extraPath + ":" + Environment.GetEnvironmentVariable("PATH");
        var log = new StreamWriter(Path.Combine(folder, "dockerd.log")) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var engine = new Dockerd(folder, process);
        // A crashed test host must not leave an engine behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => engine.Kill();

        using var client = engine.Client();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await client.System.PingAsync(CancellationToken.None);
                return engine;
            }
            catch (Exception) when (clock.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (Exception e)
            {
                await engine.DisposeAsync();
                throw new InvalidOperationException($"dockerd did not answer /_ping within 30 s ({e.Message}); its log: {Path.Combine(folder, "dockerd.log")}");
            }
        }
    }

    public DockerClient Client() => new DockerClientConfiguration(new Uri(Endpoint)).CreateClient();

    public async ValueTask DisposeAsync()
    {
        Kill();
        await CleanAsync(Folder);
    }

    private void Kill()
    {
        try
        {
            if (process.HasExited) return;
            Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
            if (!process.WaitForExit(10_000)) process.Kill();
            process.WaitForExit();
        }
        catch (InvalidOperationException) { }
    }

    private static async Task CleanAsync(string folder)
    {
        var netns = Path.Combine(folder, "exec", "netns", "default");
        if (File.Exists(netns)) await Process.Start("umount", [netns])!.WaitForExitAsync();
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { } // a mount still busy: /tmp is cleaned eventually, the next start uses a fresh data root
        catch (UnauthorizedAccessException) { }
    }
}

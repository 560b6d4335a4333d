using System.Net.Http;
using System.Net.Sockets;
using Autotune.Cli;
using Docker.DotNet;

namespace Autotune.Train.Docker;

/// <summary>
/// Where the Docker engine listens: --docker-host, else DOCKER_HOST, else the default socket.
/// Docker.DotNet reads none of these itself, so the tool resolves the endpoint in this one place.
/// </summary>
public sealed record DockerEndpoint(string Uri, string Source)
{
    public const string DefaultSocket = "unix:///var/run/docker.sock";

    public static DockerEndpoint Resolve(string? option, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(option)) return Checked(option.Trim(), "--docker-host");
        if (environment("DOCKER_HOST") is { Length: > 0 } fromEnvironment) return Checked(fromEnvironment.Trim(), "DOCKER_HOST");
        return new DockerEndpoint(DefaultSocket, "the default socket");
    }

    private static DockerEndpoint Checked(string uri, string source)
    {
        if (!System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("unix" or "tcp" or "http" or "https" or "npipe"))
            throw AutotuneException.Invalid($"{source} '{uri}' is not a Docker endpoint: use unix:///path/to/docker.sock or tcp://host:port");
        return new DockerEndpoint(uri, source);
    }

    /// <summary>A client for this endpoint; the caller disposes it.</summary>
    public DockerClient Connect() =>
        new DockerClientConfiguration(new Uri(Uri.StartsWith("tcp://", StringComparison.Ordinal) ? "http://" + Uri["tcp://".Length..] : Uri))
            .CreateClient();

    /// <summary>Pings the engine, and turns "nobody listens there" into the one line the user acts on (exit 5).</summary>
    public async Task EnsureReachableAsync(DockerClient client, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await client.System.PingAsync(timeout.Token);
        }
        catch (Exception e) when (IsUnreachable(e) || (e is OperationCanceledException && !cancel.IsCancellationRequested))
        {
            throw Unreachable(e);
        }
    }

    public AutotuneException Unreachable(Exception cause) =>
        new(ExitCodes.Infrastructure,
            $"Docker engine not reachable at {Uri} ({Source}): {Reason(cause)}; start dockerd or pass --docker-host (or set DOCKER_HOST) to an engine that runs");

    public static bool IsUnreachable(Exception e) =>
        // An IOException alone may be the trial folder's disk; only one caused by a socket means the engine.
        e is HttpRequestException or SocketException or TimeoutException
        || (e.InnerException is { } inner && IsUnreachable(inner));

    private static string Reason(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is SocketException s) return s.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.AddressNotAvailable => "no socket at that path",
                SocketError.HostNotFound => "host not found",
                _ => s.Message,
            };
        return e is OperationCanceledException or TimeoutException ? "no answer within 10 s" : e.Message;
    }
}

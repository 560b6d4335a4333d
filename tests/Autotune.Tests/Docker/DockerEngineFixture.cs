using Autotune.Train;

namespace Autotune.Tests.Docker;

/// <summary>
/// One real engine for the Docker tests, with the local base image imported and the toy trainer built.
/// Without dockerd the tests skip with the reason, unless AUTOTUNE_REQUIRE_DOCKER=1 (CI), where they fail.
/// </summary>
public sealed class DockerEngineFixture : IAsyncLifetime
{
    public Dockerd? Engine { get; private set; }
    public BuiltProgram Toy { get; private set; } = null!;
    public string? Unavailable { get; private set; }

    public string Endpoint => Engine!.Endpoint;

    public async ValueTask InitializeAsync()
    {
        if (Dockerd.Find() is null)
        {
            Unavailable = "dockerd not found: install Debian's docker.io (apt-get install -y docker.io) to run the Docker tests";
            if (Environment.GetEnvironmentVariable("AUTOTUNE_REQUIRE_DOCKER") == "1") throw new InvalidOperationException(Unavailable);
            return;
        }
        if (Environment.UserName != "root" && Environment.GetEnvironmentVariable("USER") != "root")
        {
            Unavailable = "the Docker tests start their own dockerd, which needs root";
            if (Environment.GetEnvironmentVariable("AUTOTUNE_REQUIRE_DOCKER") == "1") throw new InvalidOperationException(Unavailable);
            return;
        }
        var build = ToyProgram.BuildAsync();
        Engine = await Dockerd.StartAsync("main");
        try
        {
            using var client = Engine.Client();
            await BaseImage.ImportAsync(client);
            Toy = await build;
        }
        catch
        {
            await Engine.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Engine is not null) await Engine.DisposeAsync();
        ToyProgram.Delete();
    }

    public void SkipWhenUnavailable() => Assert.SkipWhen(Unavailable is not null, Unavailable ?? "");
}

[CollectionDefinition("Docker")]
public sealed class DockerCollection : ICollectionFixture<DockerEngineFixture>;

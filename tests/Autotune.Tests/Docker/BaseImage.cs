using System.Diagnostics;
using System.Formats.Tar;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Autotune.Tests.Docker;

/// <summary>
/// A .NET runtime image made from this host, since no registry is reachable: the runtime folder and
/// the shared libraries `ldd` says it needs, plus OpenSSL (loaded with dlopen, so ldd cannot see it),
/// imported as a root file system with invariant globalization.
/// </summary>
public static class BaseImage
{
    public const string Tag = "autotune-test/dotnet-runtime:local";
    private static readonly Lazy<byte[]> rootfs = new(MakeRootfs);

    public static async Task ImportAsync(DockerClient client)
    {
        using var tar = new MemoryStream(rootfs.Value, writable: false);
        var errors = new List<string>();
        await client.Images.CreateImageAsync(new ImagesCreateParameters
        {
            FromSrc = "-",
            Repo = Tag.Split(':')[0],
            Tag = Tag.Split(':')[1],
            Changes =
            [
                "ENV PATH=/usr/share/dotnet:/usr/bin:/bin",
                "ENV DOTNET_ROOT=/usr/share/dotnet",
                "ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1",
            ],
        }, tar, null, new Progress<JSONMessage>(m => { if (m.Error is not null) errors.Add(m.Error.Message); }), CancellationToken.None);
        if (errors.Count > 0) throw new InvalidOperationException("import of the base image failed: " + string.Join("; ", errors));
    }

    private static byte[] MakeRootfs()
    {
        var dotnet = Path.GetDirectoryName(Path.GetFullPath(Environment.ProcessPath is { } p && Path.GetFileName(p) == "dotnet" ? p : "/usr/share/dotnet/dotnet"))!;
        dotnet = Directory.Exists(Path.Combine(dotnet, "shared")) ? dotnet : "/usr/share/dotnet";
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!; // shared/Microsoft.NETCore.App/<version>
        var files = new SortedSet<string>(StringComparer.Ordinal) { Path.Combine(dotnet, "dotnet") };
        foreach (var f in Directory.EnumerateFiles(Path.Combine(dotnet, "host"), "*", SearchOption.AllDirectories)) files.Add(f);
        foreach (var f in Directory.EnumerateFiles(runtime, "*", SearchOption.AllDirectories)) files.Add(f);
        var libraries = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var binary in files.Where(f => f.EndsWith(".so", StringComparison.Ordinal) || f.EndsWith("/dotnet", StringComparison.Ordinal)).ToList())
            foreach (var lib in Ldd(binary)) libraries.Add(lib);
        foreach (var name in new[] { "libssl.so.3", "libcrypto.so.3" })
            foreach (var dir in new[] { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu" })
                if (File.Exists(Path.Combine(dir, name))) { libraries.Add(Path.Combine(dir, name)); break; }

        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            var dirs = new HashSet<string>(StringComparer.Ordinal);
            void Dir(string path, UnixFileMode mode = (UnixFileMode)0b111_101_101)
            {
                if (path is "/" or "" || !dirs.Add(path)) return;
                Dir(Path.GetDirectoryName(path)!);
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, path.TrimStart('/') + "/") { Mode = mode });
            }
            Dir("/tmp", (UnixFileMode)0b1_111_111_111);
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in files.Select(f => (host: f, image: "/usr/share/dotnet" + f[dotnet.Length..])).Concat(libraries.Select(l => (host: l, image: l))))
            {
                if (!written.Add(file.image)) continue; // ldd names some runtime libraries too
                Dir(Path.GetDirectoryName(file.image)!);
                using var content = File.OpenRead(file.host); // follows symlinks: the image gets the file under the name ldd gave
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, file.image.TrimStart('/'))
                {
                    Mode = File.GetUnixFileMode(file.host) | UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    DataStream = content,
                });
            }
        }
        return buffer.ToArray();
    }

    /// <summary>The absolute paths ldd resolves for a binary, the dynamic loader included.</summary>
    private static IEnumerable<string> Ldd(string binary)
    {
        var ldd = Process.Start(new ProcessStartInfo("ldd", [binary]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = ldd.StandardOutput.ReadToEnd();
        ldd.WaitForExit();
        foreach (var line in text.Split('\n'))
        {
            var path = line.Split("=>").Last().Trim().Split(' ')[0];
            if (path.StartsWith('/') && File.Exists(path)) yield return path;
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Autotune.Train.Worker;

/// <summary>
/// Whether a built program can run in the trial worker, and what a worker started for it depends
/// on: a worker serves later trials only while the program's dependencies are the same files.
/// </summary>
public static class WorkerProgram
{
    /// <summary>The worker host, shipped beside the tool's own assembly.</summary>
    public const string HostFileName = "autotune-worker.dll";

    public static string HostPath => Path.Combine(AppContext.BaseDirectory, HostFileName);

    /// <summary>Null when <paramref name="program"/> can run in a worker; else why not, in a few words.</summary>
    public static string? WhyNot(BuiltProgram program)
    {
        if (!File.Exists(HostPath)) return $"{HostFileName} is missing beside the tool";
        var (deps, config) = (DepsFile(program), RuntimeConfig(program));
        if (!File.Exists(deps) || !File.Exists(config)) return "the program has no deps.json or runtimeconfig.json";
        // Only the SDK's stop file ends a trial without killing its process; a plain program would lose the worker at every early stop.
        if (!File.Exists(Path.Combine(program.Folder, "Autotune.Sdk.dll"))) return "the program does not use the Autotune SDK";
        var tfm = TargetFramework(config);
        if (tfm is null || !tfm.StartsWith("net", StringComparison.Ordinal) || !Version.TryParse(tfm[3..], out var version) || version.Major < Environment.Version.Major)
            return $"the program targets {tfm ?? "an unknown framework"}; the worker needs net{Environment.Version.Major}.0 or later";
        return null;
    }

    /// <summary>
    /// Puts the worker host into the program's folder, so the runtime resolves the deps.json's files
    /// there as for the program itself. A host already there is left alone: a worker may be running it,
    /// and a changed one is replaced by a rename, never rewritten in place.
    /// </summary>
    public static string PlaceHost(BuiltProgram program)
    {
        var host = Path.Combine(program.Folder, HostFileName);
        var image = File.ReadAllBytes(HostPath);
        if (File.Exists(host) && File.ReadAllBytes(host).AsSpan().SequenceEqual(image)) return host;
        var temporary = host + ".tmp";
        File.WriteAllBytes(temporary, image);
        File.Move(temporary, host, overwrite: true);
        return host;
    }

    public static string DepsFile(BuiltProgram program) => Path.ChangeExtension(program.Assembly, ".deps.json");
    public static string RuntimeConfig(BuiltProgram program) => Path.ChangeExtension(program.Assembly, ".runtimeconfig.json");

    /// <summary>
    /// The files every run of the program shares with the worker: every file of its folder but its own
    /// assembly, by real path (the fast build's folder links to the first build's), size and time.
    /// </summary>
    public static string Fingerprint(BuiltProgram program)
    {
        var own = new HashSet<string>(StringComparer.Ordinal)
        {
            Path.GetFileName(program.Assembly), Path.GetFileName(Path.ChangeExtension(program.Assembly, ".pdb")), HostFileName,
        };
        var text = new StringBuilder();
        foreach (var path in Directory.EnumerateFiles(program.Folder).Order(StringComparer.Ordinal))
        {
            if (own.Contains(Path.GetFileName(path))) continue;
            var file = new FileInfo(path);
            var real = file.LinkTarget is not null ? (FileInfo?)file.ResolveLinkTarget(returnFinalTarget: true) ?? file : file;
            if (!real.Exists) continue;
            text.Append(Path.GetFileName(path)).Append('|').Append(real.FullName).Append('|').Append(real.Length).Append('|')
                .Append(real.LastWriteTimeUtc.Ticks).Append('\n');
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string? TargetFramework(string runtimeConfig)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
            return doc.RootElement.TryGetProperty("runtimeOptions", out var options) && options.TryGetProperty("tfm", out var tfm) ? tfm.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException) { return null; }
    }
}

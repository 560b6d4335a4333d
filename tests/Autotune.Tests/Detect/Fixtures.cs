using Autotune.Cli;

namespace Autotune.Tests.Detect;

/// <summary>Paths to the model fixtures and the sample, and a way to run a command and see what it printed.</summary>
internal static class Fixtures
{
    public static string Model(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Models", name);

    public static string Sample(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Autotune.slnx"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "samples", name);
    }

    /// <summary>A fresh folder under the system temp folder, removed when disposed.</summary>
    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("autotune-test-").FullName;

        public string Write(string relative, string text)
        {
            var full = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
            return full;
        }

        public string CopyFrom(string folder)
        {
            foreach (var file in Directory.GetFiles(folder, "*", SearchOption.AllDirectories))
            {
                var target = System.IO.Path.Combine(Path, System.IO.Path.GetRelativePath(folder, file));
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            return Path;
        }

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
        }
    }

    public static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await CommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}

namespace Autotune.Tests.Support;

/// <summary>
/// Integration tests need real programs (chromium, the aiosmtpd server): when one is missing the
/// test fails and says what to install, rather than passing without having checked anything.
/// </summary>
public static class RequiredProgram
{
    public static string Find(string path, string install)
    {
        if (Path.IsPathRooted(path))
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: {install}");
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, path);
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException($"{path} is not on PATH: {install}");
    }
}

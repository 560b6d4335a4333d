using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;

// The trial worker (see Autotune.Worker.csproj): reads one request a line from standard input, runs
// that trial's program assembly in a collectible load context, and ends each run with a marker line
// on both output streams, so the tool knows every line of the run has arrived. Everything the
// program shares with later runs (TorchSharp, libtorch, the Autotune SDK) loads once, into the
// default context; the program's own assembly, and so its static state, is new for every run.
//
// Protocol (tool/Autotune/Train/Worker/WorkerProcess.cs is the other side):
//   environment AUTOTUNE_WORKER_TOKEN  a secret per worker; marker lines start with it
//   request   {"assembly": "/path/Model.dll", "folder": "/work/dir", "env": {"AUTOTUNE_TRIAL_DIR": "..."}}
//   marker    <token> exit <code>           after a run, on stdout and on stderr
//             <token> unsupported <reason>  the worker cannot run this program; it exits
// A run that does not end with exit 0 ends the worker too: the next trial gets a fresh process.

var token = Environment.GetEnvironmentVariable("AUTOTUNE_WORKER_TOKEN");
if (string.IsNullOrEmpty(token))
{
    Console.Error.WriteLine("autotune-worker: started without AUTOTUNE_WORKER_TOKEN; only the autotune tool starts it");
    return 2;
}
Environment.SetEnvironmentVariable("AUTOTUNE_WORKER_TOKEN", null); // the model program never sees it

var stdout = Console.Out;
var stderr = Console.Error;
using var requests = new StreamReader(Console.OpenStandardInput());
Console.SetIn(TextReader.Null); // a program reading standard input must not eat the next request
var runs = 0;

while (await requests.ReadLineAsync() is { } line)
{
    if (line.Length == 0) continue;
    var request = JsonSerializer.Deserialize<WorkerRequest>(line, WorkerRequest.Json)!;
    runs++;

    var sdk = SdkReset.Find();
    if (sdk.Problem is { } problem)
    {
        stdout.WriteLine($"{token} unsupported {problem}");
        return 0;
    }

    var saved = new Dictionary<string, string?>();
    foreach (var (key, value) in request.Env)
    {
        saved[key] = Environment.GetEnvironmentVariable(key);
        Environment.SetEnvironmentVariable(key, value);
    }
    var directory = Environment.CurrentDirectory;
    Environment.CurrentDirectory = request.Folder;
    Environment.ExitCode = 0;
    sdk.Reset?.Invoke(null, null); // Trial.Current is read anew from this run's environment
    stdout.WriteLine($"@@autotune worker {{\"run\":{runs},\"pid\":{Environment.ProcessId}}}");

    var context = new AssemblyLoadContext($"trial run {runs}", isCollectible: true);
    var code = Run(context, request.Assembly, stderr);

    Console.Out.Flush();
    Console.Error.Flush();
    Console.SetOut(stdout);
    Console.SetError(stderr);
    stdout.WriteLine($"{token} exit {code}");
    stderr.WriteLine($"{token} exit {code}");
    stdout.Flush();
    stderr.Flush();
    if (code != 0) return code;

    // Back to the state the next run starts from: the environment, the folder, and no trace of this program.
    foreach (var (key, value) in saved) Environment.SetEnvironmentVariable(key, value);
    Environment.CurrentDirectory = directory;
    context.Unload();
    for (var i = 0; i < 2; i++)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers(); // tensors the run left undisposed free their native memory here
    }
}
return 0;

static int Run(AssemblyLoadContext context, string path, TextWriter stderr)
{
    try
    {
        // From a stream, not the path: the next trial's compile overwrites the file while this copy may still be loaded.
        using var image = File.OpenRead(path);
        var pdbPath = Path.ChangeExtension(path, ".pdb");
        using var symbols = File.Exists(pdbPath) ? File.OpenRead(pdbPath) : null;
        var assembly = context.LoadFromStream(image, symbols);
        var entry = assembly.EntryPoint ?? throw new InvalidOperationException($"{path} has no entry point");
        var result = entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
        return result is int code ? code : Environment.ExitCode;
    }
    catch (TargetInvocationException e) when (e.InnerException is { } inner)
    {
        // What the runtime prints for an unhandled exception, and the exit code it gives (SIGABRT).
        stderr.WriteLine($"Unhandled exception. {inner}");
        return 134;
    }
    catch (Exception e) when (e is IOException or BadImageFormatException or InvalidOperationException)
    {
        stderr.WriteLine($"autotune-worker: cannot run {path}: {e.Message}");
        return 134;
    }
}

/// <summary>One run: the program assembly, its working folder, and the trial's environment variables.</summary>
internal sealed record WorkerRequest(string Assembly, string Folder, Dictionary<string, string> Env)
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}

/// <summary>
/// The SDK's <c>Trial.ReloadFromEnvironment</c>: the SDK loads once for all runs, and its
/// <c>Trial.Current</c> must describe the run at hand. A program without the SDK needs no reset;
/// one whose SDK predates the worker cannot run here.
/// </summary>
internal sealed record SdkReset(MethodInfo? Reset, string? Problem)
{
    public static SdkReset Find()
    {
        Assembly sdk;
        try { sdk = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("Autotune.Sdk")); }
        catch (FileNotFoundException) { return new SdkReset(null, null); }
        var reset = sdk.GetType("Autotune.Trial")?.GetMethod("ReloadFromEnvironment", BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes);
        return reset is null
            ? new SdkReset(null, $"the program's Autotune.Sdk {sdk.GetName().Version} has no Trial.ReloadFromEnvironment (older than the worker)")
            : new SdkReset(reset, null);
    }
}

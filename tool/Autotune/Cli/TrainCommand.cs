using System.CommandLine;
using System.Globalization;
using Autotune.Train;
using Autotune.Train.Metrics;
using Autotune.Train.Docker;

namespace Autotune.Cli;

/// <summary>`autotune train &lt;model-dir&gt;`: build the model program and run one supervised trial of it.</summary>
public static class TrainCommand
{
    public sealed record Options(string ModelDir, string? TrialDir, int? Seed, int? Epochs, string Device, int Retries, int SilenceSeconds,
        ContainerOptions? Container = null, int? TimeoutSeconds = null);

    /// <summary>`--runner docker` and its settings; null runs the program as a local process.</summary>
    public sealed record ContainerOptions(string? DockerHost, string? Image, string Gpus, string? Memory, double? Cpus, string Network);

    public static Command Create()
    {
        var modelDir = new Argument<string>("model-dir") { Description = "Folder of the model project (or its .csproj)" };
        var trialDir = new Option<string?>("--trial-dir") { Description = "Trial folder to use; an existing one resumes from its last checkpoint. Default: a new folder under <model-dir>/.autotune/train" };
        var seed = new Option<int?>("--seed") { Description = "Seed handed to the program (default: the program's own)" };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs to train (default: the value in the hyperparameter block)" };
        var device = Shared.Device();
        var retries = new Option<int>("--retries") { Description = "Restarts from the last checkpoint when the program dies", DefaultValueFactory = _ => 3 };
        var silence = new Option<int>("--silence-timeout") { Description = "Seconds without any output after which the program is stopped as hung", DefaultValueFactory = _ => 300 };
        var timeout = new Option<int?>("--timeout") { Description = "Seconds one start of the program may run before it is stopped (default: no limit)" };
        timeout.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--timeout must be at least 1 second"); });
        retries.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--retries must be 0 or more"); });
        silence.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--silence-timeout must be at least 1 second"); });
        epochs.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--epochs must be at least 1"); });
        var runner = new Option<string>("--runner") { Description = "process (a local child process) or docker (a container through the Engine API)", DefaultValueFactory = _ => "process" };
        runner.AcceptOnlyFromAmong("process", "docker");
        var dockerHost = new Option<string?>("--docker-host") { Description = "Docker engine endpoint (default: DOCKER_HOST, else unix:///var/run/docker.sock)" };
        var image = new Option<string?>("--image") { Description = "Runtime image for --runner docker (default: the one `autotune image build` makes for the project, built if missing)" };
        var gpus = new Option<string>("--gpus") { Description = "none, auto (GPUs if the engine has the NVIDIA runtime, else CPU), required, all, a count, or device=ID,...", DefaultValueFactory = _ => "none" };
        var memory = new Option<string?>("--memory") { Description = "Container memory limit, such as 4g (no swap beyond it)" };
        var cpus = new Option<double?>("--cpus") { Description = "Container CPU limit, such as 1.5" };
        var network = new Option<string>("--network") { Description = "Container network: none (default), bridge, or a named network", DefaultValueFactory = _ => "none" };
        gpus.Validators.Add(r => { try { GpuRequest.Parse(r.GetValueOrDefault<string>()); } catch (AutotuneException e) { r.AddError(e.Message); } });
        memory.Validators.Add(r => { try { if (r.GetValueOrDefault<string?>() is { } m) MemorySize.Parse(m); } catch (AutotuneException e) { r.AddError(e.Message); } });
        cpus.Validators.Add(r => { if (r.GetValueOrDefault<double?>() is <= 0) r.AddError("--cpus must be a positive number"); });

        var command = new Command("train", "Build the model program and train it once, restarting it from its last checkpoint if it dies")
        {
            modelDir, trialDir, seed, epochs, device, retries, silence, timeout, runner, dockerHost, image, gpus, memory, cpus, network,
        };
        command.SetAction((parse, cancel) => RunAsync(new Options(
            parse.GetValue(modelDir)!, parse.GetValue(trialDir), parse.GetValue(seed), parse.GetValue(epochs),
            parse.GetValue(device)!, parse.GetValue(retries), parse.GetValue(silence),
            parse.GetValue(runner) == "docker"
                ? new ContainerOptions(parse.GetValue(dockerHost), parse.GetValue(image), parse.GetValue(gpus)!, parse.GetValue(memory), parse.GetValue(cpus), parse.GetValue(network)!)
                : null, parse.GetValue(timeout)), parse.InvocationConfiguration.Output, cancel));
        return command;
    }

    public static async Task<int> RunAsync(Options o, TextWriter output, CancellationToken cancel)
    {
        var project = ModelProject.Open(o.ModelDir);
        // A program without the SDK is read from its output, as autotune.json says; its target's metric must be there.
        var file = Tune.SettingsFile.Load(project.Folder);
        var plain = ProgramOutput.ForProject(project, file.Metrics, file.MetricsFile, Tune.SettingsFile.PathIn(project.Folder));
        string? keyMetric = null;
        if (plain is not null && file.Target is { } target)
        {
            try { keyMetric = Search.Target.Parse(target).Metric; }
            catch (ArgumentException e) { throw AutotuneException.Invalid($"{Tune.SettingsFile.PathIn(project.Folder)}: {e.Message}"); }
        }
        var trialFolder = o.TrialDir is not null ? Path.GetFullPath(o.TrialDir)
            : Path.Combine(project.StateFolder, "train", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        var display = new ProgressDisplay(output, ProgressDisplay.IsInteractive);
        display.Note($"building {project.ProjectFile}");
        var built = await new ProjectBuilder().BuildAsync(project, Path.Combine(project.StateFolder, "build"),
            Path.Combine(trialFolder, "build.log"), cancel);
        display.Note($"built in {built.BuildTime.TotalSeconds:F1} s; trial folder {trialFolder}");

        IRunner runner = o.Container is { } c ? await ContainerRunner.CreateAsync(project, c, display, cancel) : new ProcessRunner();
        var supervisor = new TrialSupervisor(runner, display);
        var result = await supervisor.RunAsync(built, trialFolder,
            new TrialSettings(Seed: o.Seed, Epochs: o.Epochs, Device: o.Device, Retries: o.Retries, SilenceLimit: TimeSpan.FromSeconds(o.SilenceSeconds),
                Output: plain, KeyMetric: keyMetric, TimeLimit: o.TimeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : null), cancel);

        if (plain is not null && (result.Epochs.Count == 0 || keyMetric is not null && !result.Epochs.Any(e => e.Metrics.ContainsKey(keyMetric))))
            throw MissingMetric.From(keyMetric, result, built.Assembly);
        if (result.Epochs.Count == 0)
            throw new AutotuneException(ExitCodes.ModelFailed,
                $"{built.Assembly}: the program finished without reporting a metric: call Trial.Current.ReportEpoch(...) once per epoch");
        var metrics = string.Join(", ", result.FinalMetrics.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:0.####}")));
        var overhead = result.Wall.TotalSeconds + built.BuildTime.TotalSeconds - result.TrainingSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"final: {metrics} after {result.Epochs.Count} epoch(s), {result.Restarts} restart(s){(plain is not null && result.Restarts > 0 ? " from the beginning (no SDK checkpoints)" : "")}; training {result.TrainingSeconds:F1} s, build {built.BuildTime.TotalSeconds:F1} s, other overhead {overhead - built.BuildTime.TotalSeconds:F1} s"));
        return ExitCodes.Success;
    }
}

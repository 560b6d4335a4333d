using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Autotune.Detect;
using Autotune.Rewrite;
using Autotune.Search;
using Autotune.Train;
using Autotune.Tune;
using Autotune.Train.Metrics;
using Autotune.Train.Docker;

namespace Autotune.Cli;

/// <summary>`autotune train &lt;model-dir&gt;`: build the model program and run one supervised trial of it.</summary>
public static class TrainCommand
{
    public sealed record Options(string ModelDir, string? TrialDir, int? Seed, int? Epochs, string Device, int Retries, int SilenceSeconds,
        ContainerOptions? Container = null, string? Values = null, int? TrialNumber = null, int? TimeoutSeconds = null, string? Study = null); // Container null: the process runner

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
        var values = new Option<string?>("--values") { Description = "Train with these values (name=value,... as `ask` prints them): the block is rewritten in a workspace copy, never in your files" };
        var trialNumber = new Option<int?>("--trial-number") { Description = "The trial's number in its study, as `ask` printed it (handed to the program, recorded in the trial folder for `tell`)" };
        trialNumber.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 0) r.AddError("--trial-number must be 0 or more"); });
        var study = new Option<string?>("--study") { Description = "The study the trial belongs to, as `ask` printed it: recorded in the trial folder, so `tell` records it in no other study" };
        var runner = new RunnerFlags();

        var command = new Command("train", "Build the model program and train it once, restarting it from its last checkpoint if it dies")
        {
            modelDir, trialDir, seed, epochs, device, retries, silence, values, trialNumber, study, timeout,
        };
        runner.AddTo(command);
        command.SetAction((parse, cancel) => RunAsync(new Options(
            parse.GetValue(modelDir)!, parse.GetValue(trialDir), parse.GetValue(seed), parse.GetValue(epochs),
            parse.GetValue(device)!, parse.GetValue(retries), parse.GetValue(silence),
            runner.Read(parse), parse.GetValue(values), parse.GetValue(trialNumber), parse.GetValue(timeout), parse.GetValue(study)), parse.InvocationConfiguration.Output, cancel));
        return command;
    }

    public static async Task<int> RunAsync(Options o, TextWriter output, CancellationToken cancel)
    {
        var project = ModelProject.Open(o.ModelDir);
        // A program without the SDK is read from its output, as autotune.json says; its target's metric must be there.
        var file = Tune.SettingsFile.Load(project.Folder);
        var plain = ProgramOutput.ForProject(project, file.Metrics, file.MetricsFile, Tune.SettingsFile.PathIn(project.Folder));
        string? metricsNote = null;
        if (plain is not null) (plain, metricsNote) = FoundMetricsFile.Apply(plain, ModelDetector.Detect(project.Folder).WrittenFiles);
        string? keyMetric = null;
        if (plain is not null && file.Target is { } target)
        {
            try { keyMetric = Search.Target.Parse(target).Metric; }
            catch (ArgumentException e) { throw AutotuneException.Invalid($"{Tune.SettingsFile.PathIn(project.Folder)}: {e.Message}"); }
        }
        var trialFolder = o.TrialDir is not null ? Path.GetFullPath(o.TrialDir)
            : Path.Combine(project.StateFolder, "train", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        // The folder says whose it is before anything is written there; another trial's folder, or one autotune did not make, is refused.
        var (model, values) = o.Values is null ? (null, null) : ResolveValues(project, o.Values);
        var identity = new TrialIdentity(project.Name, o.Study, o.TrialNumber, values is null ? null : AssignmentText.Format(values));
        var resumes = identity.Claim(trialFolder, recorded => SameValues(model!, recorded, values!));
        var display = new ProgressDisplay(output, ProgressDisplay.IsInteractive);
        if (resumes) display.Note($"{trialFolder} is {identity}'s folder already: the trial resumes there");
        display.Note($"building {project.ProjectFile}");
        if (metricsNote is not null) display.Note(metricsNote);
        if (values is not null) display.Note($"values: {values}");
        var built = model is null || values is null
            ? await new ProjectBuilder().BuildAsync(project, Path.Combine(project.StateFolder, "build"), Path.Combine(trialFolder, "build.log"), cancel)
            : await BuildWithValuesAsync(project, model, values, trialFolder, cancel);
        display.Note($"built in {built.BuildTime.TotalSeconds:F1} s; trial folder {trialFolder}");

        IRunner runner = o.Container is { } c ? await ContainerRunner.CreateAsync(project, c, display, cancel) : new ProcessRunner();
        var supervisor = new TrialSupervisor(runner, display);
        var result = await supervisor.RunAsync(built, trialFolder,
            new TrialSettings(Number: o.TrialNumber ?? 0, Seed: o.Seed, Epochs: o.Epochs, Device: o.Device, Retries: o.Retries, SilenceLimit: TimeSpan.FromSeconds(o.SilenceSeconds),
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

    /// <summary>
    /// A trial run elsewhere (`ask`/`tell`): the block rewritten in the train workspace copy, exactly as
    /// `autotune run` does. Values that do not build are this trial's failure: result.json says so, for `tell`.
    /// </summary>
    private static async Task<BuiltProgram> BuildWithValuesAsync(ModelProject project, TunableModel model, Assignment values, string trialFolder, CancellationToken cancel)
    {
        var workspace = TrialWorkspace.Prepare(project, Path.Combine(project.StateFolder, "train-workspace"));
        try
        {
            return await TrialBuild.RewriteAndBuildAsync(model, workspace, values, Path.Combine(project.StateFolder, "train-build"),
                Path.Combine(trialFolder, "build.log"), cancel);
        }
        catch (AutotuneException e) when (e.ExitCode == ExitCodes.InvalidInput)
        {
            Directory.CreateDirectory(trialFolder);
            File.WriteAllText(Path.Combine(trialFolder, TrialSupervisor.ResultFile),
                JsonSerializer.Serialize(new { state = "failed", epochs = 0, restarts = 0, error = e.Message }, new JsonSerializerOptions { WriteIndented = true }));
            throw;
        }
    }

    /// <summary>The values `--values` gives, with the code's own for the parameters it leaves out: what the trial trains.</summary>
    private static (TunableModel, Assignment) ResolveValues(ModelProject project, string valuesText)
    {
        // A model without a block takes values for the literals init lifts, as `run` and `ask` tune them.
        var model = TunableModel.Resolve(project.Folder);
        return (model, model.WithCodeValues(model.Parse(valuesText)));
    }

    /// <summary>Whether a trial folder's recorded values are these (in any order and spelling of the numbers).</summary>
    private static bool SameValues(TunableModel model, string recorded, Assignment values)
    {
        try { return model.Parse(recorded).Equals(values); }
        catch (AutotuneException) { return false; }
    }
}

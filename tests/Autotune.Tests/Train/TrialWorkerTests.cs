using System.Text.Json;
using System.Text.RegularExpressions;
using Autotune.Tests.Support;
using Autotune.Train;
using Autotune.Train.Worker;

namespace Autotune.Tests.Train;

/// <summary>
/// The trial worker of `autotune run` (Train/Worker, tool/Autotune.Worker): one process runs trial
/// after trial, each in a fresh load context, with the same results as a process per trial.
/// </summary>
[Collection(ToyTunerCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class TrialWorkerTests
{
    [Fact]
    public async Task Every_trial_of_a_study_runs_in_one_worker_process_each_with_its_own_trial()
    {
        var study = ToyTuner.NewStudy("worker");
        var r = await Tool.RunAsync(["run", ToyTuner.Folder, "--target", "score>=0.99", "--max-trials", "4", "--max-epochs", "2", "--seed", "1",
            "--study", study, "--no-apply", "--no-asha"], timeout: TimeSpan.FromMinutes(5));

        r.ExitCode.ShouldBe(3, r.All);
        var runs = WorkerRuns(study);
        runs.Select(w => w.Run).ShouldBe([1, 2, 3, 4]);
        runs.Select(w => w.Pid).Distinct().Count().ShouldBe(1, "one worker served every trial");
        // Trial.Current was read anew for each run: each trial's metrics went to its own folder.
        foreach (var folder in TrialFolders(study))
            MetricsFile.Read(Path.Combine(folder, TrialEnvironment.MetricsFile)).Select(e => e.Epoch).ShouldBe([1, 2]);
    }

    [Fact]
    public async Task A_trial_that_throws_fails_with_its_exception_and_the_next_trial_gets_a_new_worker()
    {
        var study = ToyTuner.NewStudy("worker-throw");
        var r = await Tool.RunAsync(["run", ToyTuner.Folder, "--target", "score>=0.99", "--max-trials", "3", "--max-epochs", "2", "--seed", "1",
            "--study", study, "--no-apply", "--no-asha"], new Dictionary<string, string> { ["TOY_THROW_IN_TRIAL"] = "2" }, timeout: TimeSpan.FromMinutes(5));

        r.ExitCode.ShouldBe(3, r.All);
        r.Output.ShouldContain("[run] trial 2 failed");
        var folders = TrialFolders(study);
        File.ReadAllText(Path.Combine(folders[1], TrialSupervisor.LogFile)).ShouldContain("Unhandled exception. System.InvalidOperationException: toy failure in trial 2");
        var runs = WorkerRuns(study);
        runs[0].Pid.ShouldBe(runs[1].Pid);
        runs[2].Pid.ShouldNotBe(runs[1].Pid, "the worker that ran the failed trial ended with it");
        runs[2].Run.ShouldBe(1);
        MetricsFile.Read(Path.Combine(folders[2], TrialEnvironment.MetricsFile)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task No_worker_runs_each_trial_as_a_new_process()
    {
        var study = ToyTuner.NewStudy("no-worker");
        var r = await Tool.RunAsync(["run", ToyTuner.Folder, "--target", "score>=0.99", "--max-trials", "2", "--max-epochs", "1", "--seed", "1",
            "--study", study, "--no-apply", "--no-worker"], timeout: TimeSpan.FromMinutes(5));

        r.ExitCode.ShouldBe(3, r.All);
        WorkerRuns(study).ShouldBeEmpty();
        File.ReadAllText(Path.Combine(TrialFolders(study)[0], TrialSupervisor.LogFile)).ShouldContain("(process runner)");
    }

    [Fact]
    public async Task Worker_false_in_autotune_json_runs_each_trial_as_a_new_process()
    {
        var study = ToyTuner.NewStudy("json-no-worker");
        var settings = Path.Combine(ToyTuner.Folder, "autotune.json");
        File.WriteAllText(settings, "{\"worker\": false}");
        try
        {
            var r = await Tool.RunAsync(["run", ToyTuner.Folder, "--target", "score>=0.99", "--max-trials", "1", "--max-epochs", "1",
                "--study", study, "--no-apply"], timeout: TimeSpan.FromMinutes(5));

            r.ExitCode.ShouldBe(3, r.All);
            File.ReadAllText(Path.Combine(TrialFolders(study)[0], TrialSupervisor.LogFile)).ShouldContain("(process runner)");
        }
        finally { File.Delete(settings); }
    }

    [Fact]
    public void A_program_without_the_sdk_or_for_an_older_framework_is_run_as_a_process_and_says_why()
    {
        var folder = Directory.CreateTempSubdirectory("autotune-worker-why-").FullName;
        try
        {
            var program = new BuiltProgram(folder, Path.Combine(folder, "Model.dll"), TimeSpan.Zero, []);
            WorkerProgram.WhyNot(program).ShouldBe("the program has no deps.json or runtimeconfig.json");
            File.WriteAllText(Path.Combine(folder, "Model.deps.json"), "{}");
            File.WriteAllText(Path.Combine(folder, "Model.runtimeconfig.json"), """{"runtimeOptions": {"tfm": "net8.0"}}""");
            WorkerProgram.WhyNot(program).ShouldBe("the program does not use the Autotune SDK");
            File.WriteAllText(Path.Combine(folder, "Autotune.Sdk.dll"), "");
            WorkerProgram.WhyNot(program).ShouldBe($"the program targets net8.0; the worker needs net{Environment.Version.Major}.0 or later");
            File.WriteAllText(Path.Combine(folder, "Model.runtimeconfig.json"), $$$"""{"runtimeOptions": {"tfm": "net{{{Environment.Version.Major}}}.0"}}""");
            WorkerProgram.WhyNot(program).ShouldBeNull();
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void A_worker_serves_a_later_build_only_while_every_file_but_the_programs_own_assembly_is_the_same()
    {
        var folder = Directory.CreateTempSubdirectory("autotune-worker-fingerprint-").FullName;
        try
        {
            var program = new BuiltProgram(folder, Path.Combine(folder, "Model.dll"), TimeSpan.Zero, []);
            File.WriteAllText(program.Assembly, "trial 1");
            File.WriteAllText(Path.Combine(folder, "Dependency.dll"), "v1");
            var first = WorkerProgram.Fingerprint(program);

            File.WriteAllText(program.Assembly, "trial 2, recompiled");
            WorkerProgram.Fingerprint(program).ShouldBe(first);
            File.WriteAllText(Path.Combine(folder, "Dependency.dll"), "v2, rebuilt");
            WorkerProgram.Fingerprint(program).ShouldNotBe(first);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    private static string[] TrialFolders(string study) => StudyFolders.TrialFolders(ToyTuner.Folder, study);

    /// <summary>The worker line each trial's log starts its run with: which run of which worker process.</summary>
    private static List<(int Run, int Pid)> WorkerRuns(string study) =>
        TrialFolders(study)
            .Select(f => WorkerLine().Match(File.ReadAllText(Path.Combine(f, TrialSupervisor.LogFile))))
            .Where(m => m.Success)
            .Select(m => { using var doc = JsonDocument.Parse(m.Groups[1].Value); return (doc.RootElement.GetProperty("run").GetInt32(), doc.RootElement.GetProperty("pid").GetInt32()); })
            .ToList();

    [GeneratedRegex(@"@@autotune worker (\{""run"".*\})")]
    private static partial Regex WorkerLine();
}

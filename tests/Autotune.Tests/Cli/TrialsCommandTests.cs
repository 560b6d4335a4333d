using System.Text.Json;
using Autotune.Cli;
using Autotune.Tests.Report;

namespace Autotune.Tests.Cli;

public sealed class TrialsCommandTests
{
    private static async Task<JsonElement> TrialsJson(string modelDir)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLine.RunAsync(["trials", modelDir, "--json"], output, error);
        code.ShouldBe(ExitCodes.Success, error.ToString());
        using var doc = JsonDocument.Parse(output.ToString());
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task The_json_ranks_the_parameters_that_mattered_with_shares_that_add_up_to_one()
    {
        using var study = new SyntheticStudy();
        study.AddRandomTrials(20);

        var root = await TrialsJson(study.ModelDir);

        root.GetProperty("trials").GetArrayLength().ShouldBe(25);
        var importance = root.GetProperty("importance").EnumerateArray()
            .Select(e => (Parameter: e.GetProperty("parameter").GetString()!, Share: e.GetProperty("share").GetDouble())).ToList();
        importance.Select(i => i.Parameter).ShouldBe(["LearningRate", "ConvLayers", "Pooling"], ignoreOrder: true);
        importance[0].Parameter.ShouldBe("LearningRate");
        importance[0].Share.ShouldBeGreaterThan(0.5); // the five planned trials do not follow the learning rate alone
        importance.Sum(i => i.Share).ShouldBe(1, 1e-9);
        root.GetProperty("importanceReason").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task With_too_few_completed_trials_importance_is_null_and_the_reason_counts_them()
    {
        using var study = new SyntheticStudy();

        var root = await TrialsJson(study.ModelDir);

        root.GetProperty("importance").ValueKind.ShouldBe(JsonValueKind.Null);
        root.GetProperty("importanceReason").GetString().ShouldBe("not enough completed trials (3 of 8 needed)");
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["schema", "study", "target", "constraints", "minimize", "pareto", "trials", "importance", "importanceReason", "controller", "leftBy"]);
    }

    [Fact]
    public async Task The_json_names_the_live_command_that_holds_the_study_and_no_dead_one()
    {
        using var study = new SyntheticStudy();
        using var run = Autotune.Study.StudyLock.Acquire(study.StorePath, "run", TimeSpan.Zero);

        var root = await TrialsJson(study.ModelDir);

        var controller = root.GetProperty("controller");
        controller.GetProperty("command").GetString().ShouldBe("run");
        controller.GetProperty("pid").GetInt32().ShouldBe(Environment.ProcessId);
        controller.GetProperty("host").GetString().ShouldBe(Environment.MachineName);
        root.GetProperty("leftBy").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task The_json_names_the_controller_that_ended_without_releasing_the_study_and_leaves_its_trace_for_the_next_run()
    {
        using var study = new SyntheticStudy();
        // What a SIGKILLed run leaves: its holder file, and no OS lock (the kernel dropped it with the process).
        Autotune.Study.StudyLock.Acquire(study.StorePath, "apply", TimeSpan.Zero).Dispose();
        var holder = Autotune.Study.StudyLock.HolderFile(study.StorePath);
        File.WriteAllText(holder, """{"command":"run","pid":999999,"host":"ci-agent-7","since":"2025-01-02T03:04:05Z"}""");

        var root = await TrialsJson(study.ModelDir);

        root.GetProperty("controller").ValueKind.ShouldBe(JsonValueKind.Null);
        var left = root.GetProperty("leftBy");
        (left.GetProperty("command").GetString(), left.GetProperty("pid").GetInt32(), left.GetProperty("host").GetString(), left.GetProperty("since").GetString())
            .ShouldBe(("run", 999999, "ci-agent-7", "2025-01-02T03:04:05Z"));
        using var next = Autotune.Study.StudyLock.Acquire(study.StorePath, "run", TimeSpan.Zero);
        next.TookOverFrom.ShouldNotBeNull().Pid.ShouldBe(999999); // looking took nothing away from the run that takes over
    }

    [Fact]
    public async Task A_study_no_command_has_locked_has_no_controller_and_none_left()
    {
        using var study = new SyntheticStudy();

        var root = await TrialsJson(study.ModelDir);

        root.GetProperty("controller").ValueKind.ShouldBe(JsonValueKind.Null);
        root.GetProperty("leftBy").ValueKind.ShouldBe(JsonValueKind.Null);
    }
}

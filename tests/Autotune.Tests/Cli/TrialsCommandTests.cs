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
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["schema", "study", "target", "constraints", "minimize", "pareto", "trials", "importance", "importanceReason"]);
    }
}

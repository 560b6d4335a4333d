using System.Text.Json.Nodes;
using Autotune.Tests.Support;

namespace Autotune.Tests.Train;

/// <summary>What a resumed trial does with the checkpoint it finds, through the real tool and sample.</summary>
[Collection(SampleCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CheckpointResumeTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("autotune-checkpoint-").FullName;
    private static readonly Dictionary<string, string> Tiny = new() { ["MNIST_TRAIN_LIMIT"] = "300" };

    [Fact]
    public async Task A_checkpoint_of_a_different_architecture_is_invalid_input_in_one_line()
    {
        Mnist.Require();
        var trial = Path.Combine(scratch, "trial");
        (await Tool.RunAsync(["train", Mnist.SampleFolder, "--epochs", "1", "--device", "cpu", "--trial-dir", trial], Tiny)).ExitCode.ShouldBe(0);
        // The checkpoint says another network saved it (as after ConvLayers or Filters changed).
        var latest = new CheckpointStore(Path.Combine(trial, TrialEnvironment.CheckpointFolder)).Latest().ShouldNotBeNull();
        var state = JsonNode.Parse(await File.ReadAllTextAsync(latest.File("state.json")))!;
        state["Architecture"] = "conv 3x64 k3 avg, dense 32";
        await File.WriteAllTextAsync(latest.File("state.json"), state.ToJsonString());

        var r = await Tool.RunAsync(["train", Mnist.SampleFolder, "--epochs", "2", "--device", "cpu", "--trial-dir", trial], Tiny);

        r.ExitCode.ShouldBe(2, r.All);
        var line = r.Error.Trim().Split('\n').ShouldHaveSingleItem();
        line.ShouldContain("was saved by a different architecture (conv 3x64 k3 avg, dense 32");
        line.ShouldContain("delete it or start a new trial folder");
        r.All.ShouldNotContain("   at ");
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}

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
        // The checkpoint is saved again, whole, as if another network (other ConvLayers or Filters) had saved it.
        var store = new CheckpointStore(Path.Combine(trial, TrialEnvironment.CheckpointFolder));
        var latest = store.Latest().ShouldNotBeNull();
        var state = JsonNode.Parse(await File.ReadAllTextAsync(latest.File("state.json")))!;
        state["Architecture"] = "conv3x64k3-avg-dense32";
        store.Save(latest.Epoch, folder =>
        {
            foreach (var file in new[] { "model.bin", "optimizer.bin" }) File.Copy(latest.File(file), Path.Combine(folder, file));
            File.WriteAllText(Path.Combine(folder, "state.json"), state.ToJsonString());
        });
        store.Latest().ShouldNotBeNull().File("state.json").ShouldSatisfyAllConditions(f => File.ReadAllText(f).ShouldContain("conv3x64k3"));

        var r = await Tool.RunAsync(["train", Mnist.SampleFolder, "--epochs", "2", "--device", "cpu", "--trial-dir", trial], Tiny);

        r.ExitCode.ShouldBe(2, r.All);
        var line = r.Error.Trim().Split('\n').ShouldHaveSingleItem();
        line.ShouldContain("was saved by a different architecture (conv3x64k3-avg-dense32, now conv1x16k5-max-dense128)");
        line.ShouldContain("delete it or start a new trial folder");
        r.All.ShouldNotContain("   at ");
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}

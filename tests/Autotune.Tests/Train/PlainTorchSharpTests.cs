using Autotune.Native;
using Autotune.Tests.Support;

namespace Autotune.Tests.Train;

/// <summary>
/// tests/programs/plain-mnist: a TorchSharp program that never heard of Autotune (no SDK, no targets
/// file of ours, literals inline, Keras-style lines). The tool builds it, makes its natives load on
/// this host (the libstdc++ fix), trains it and reads its printed metrics.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PlainTorchSharpTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("autotune-plain-torch-").FullName;

    private static string ProgramFolder => Path.Combine(Tool.RepositoryRoot, "tests", "programs", "plain-mnist");

    [Fact]
    public async Task A_plain_TorchSharp_program_builds_and_trains_under_autotune_train_and_its_printed_accuracy_is_read()
    {
        Mnist.Require();
        Autotune.Train.ModelProject.Open(ProgramFolder).ReferencesSdk.ShouldBeFalse();
        File.ReadAllText(Path.Combine(ProgramFolder, "PlainMnist.csproj")).ShouldNotContain("Autotune.Sdk");
        var trial = Path.Combine(scratch, "trial");
        var r = await Tool.RunAsync(["train", ProgramFolder, "--trial-dir", trial], new Dictionary<string, string> { ["PLAIN_MNIST_LIMIT"] = "2000" },
            timeout: TimeSpan.FromMinutes(8));

        r.ExitCode.ShouldBe(0, r.All);
        var epochs = MetricsFile.Read(Path.Combine(trial, TrialEnvironment.MetricsFile));
        epochs.Select(e => e.Epoch).ShouldBe([1, 2, 3]);
        epochs[^1].Metrics["accuracy"].ShouldBeInRange(0.7, 1.0); // printed as "accuracy: 86.75%"
        epochs[^1].Metrics.Keys.ShouldBe(["loss", "accuracy"], ignoreOrder: true);
        r.Output.ShouldContain("final: loss");

        // On a host whose libstdc++ lacks GLIBCXX_3.4.32 the tool patched the copy it built; elsewhere nothing needed it.
        var host = LibstdcxxVersionPatch.FindHostLibstdcxx();
        if (host is not null && !LibstdcxxVersionPatch.HostHas(host, "GLIBCXX_3.4.32"))
            LibstdcxxVersionPatch.VersionNeeds(File.ReadAllBytes(Path.Combine(ProgramFolder, ".autotune", "build", LibstdcxxVersionPatch.LibraryName)))
                .Single(n => n.Name == "GLIBCXX_3.4.32").Weak.ShouldBeTrue();
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}

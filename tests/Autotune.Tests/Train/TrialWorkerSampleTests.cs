using System.Globalization;
using Autotune.Tests.Support;
using Autotune.Train;

namespace Autotune.Tests.Train;

/// <summary>The trial worker with TorchSharp and real MNIST: libtorch loads once, and the numbers do not change.</summary>
[Collection(SampleCollection.Name)]
[Trait("Category", "Integration")]
public sealed class TrialWorkerSampleTests
{
    private static readonly Dictionary<string, string> Subset = new() { ["MNIST_TRAIN_LIMIT"] = "500", ["MNIST_TEST_LIMIT"] = "500" };

    [Fact]
    public async Task Trials_in_the_worker_compute_bit_for_bit_what_a_new_process_per_trial_computes()
    {
        Mnist.Require();
        var inWorker = "worker-" + Guid.NewGuid().ToString("N")[..8];
        var asProcesses = "processes-" + Guid.NewGuid().ToString("N")[..8];
        string[] Run(string study, params string[] more) =>
            ["run", Mnist.SampleFolder, "--target", "accuracy>=0.999", "--max-trials", "3", "--max-epochs", "1", "--seed", "4",
             "--study", study, "--no-apply", "--no-asha", .. more];

        var worker = await Tool.RunAsync(Run(inWorker), Subset, timeout: TimeSpan.FromMinutes(8));
        var processes = await Tool.RunAsync(Run(asProcesses, "--no-worker"), Subset, timeout: TimeSpan.FromMinutes(8));

        worker.ExitCode.ShouldBe(3, worker.All);
        processes.ExitCode.ShouldBe(3, processes.All);
        var a = Epochs(inWorker);
        var b = Epochs(asProcesses);
        a.Count.ShouldBe(3);
        a.ShouldBe(b); // accuracy, loss and test loss of every trial, to the last bit
        File.ReadAllText(Path.Combine(TrialFolders(inWorker)[2], TrialSupervisor.LogFile)).ShouldContain("@@autotune worker {\"run\":3,");
    }

    private static List<string> Epochs(string study) =>
        TrialFolders(study).Select(f =>
        {
            var e = MetricsFile.Read(Path.Combine(f, TrialEnvironment.MetricsFile)).Single();
            return string.Join(" ", new[] { "accuracy", "loss", "test_loss" }.Select(k => e.Metrics[k].ToString("R", CultureInfo.InvariantCulture)));
        }).ToList();

    private static string[] TrialFolders(string study) => StudyFolders.TrialFolders(Mnist.SampleFolder, study);
}

using System.Diagnostics;
using Autotune;
using Autotune.TorchSharp;
using MnistCnn;
using TorchSharp;
using static TorchSharp.torch;

// Trains the CNN of Hyper on MNIST and reports test accuracy per epoch through the Autotune SDK.
// Runs the same standalone (dotnet run) and under `autotune train`/`run`, which set the trial.
var trial = Trial.Current;
trial.ReportPhase("main"); // the phase lines split a trial's fixed cost (bench/fixed-cost)
var device = TorchDevice.ForTrial(trial);
InitializeDeviceType(device.type); // loads libtorch now, so the framework's start is timed apart from the data's
trial.ReportPhase("framework");
var seed = trial.Seed(42);
var trainLimit = int.TryParse(Environment.GetEnvironmentVariable("MNIST_TRAIN_LIMIT"), out var limit) ? limit : 0;
var testLimit = int.TryParse(Environment.GetEnvironmentVariable("MNIST_TEST_LIMIT"), out var tlimit) ? tlimit : 0;
Console.WriteLine($"device: {device.type}{(device.type == DeviceType.CUDA ? ":" + device.index : "")}, seed {seed}, trial folder {trial.Folder}");

var clock = Stopwatch.StartNew();
using var data = MnistData.Load(MnistData.DefaultFolder(), device, trainLimit, testLimit);
trial.ReportPhase("data");
Console.WriteLine($"data: {data.TrainImages.shape[0]} training and {data.TestImages.shape[0]} test images loaded in {clock.Elapsed.TotalSeconds:F2} s");

manual_seed(seed);
using var net = new Net(Hyper.ConvLayers, Hyper.Filters, Hyper.KernelSize, Hyper.Pooling, Hyper.DenseUnits, Hyper.Dropout);
net.to(device);
var parameters = trial.ReportParameterCount(net); // "params" with every epoch: a study can bound it with --constraint
// "latency_ms": the median time of one image through the network, for --constraint "latency_ms<=2".
var latency = trial.ReportInferenceLatency(net, data.TestImages.narrow(0, 0, 1));
Console.WriteLine($"model: {parameters} parameters, {latency:F2} ms an image");
using var optimizer = optim.Adam(net.parameters(), Hyper.LearningRate);
var epochs = trial.Epochs(Hyper.Epochs);
var done = TorchCheckpoint.Restore(trial, net, optimizer, Net.Describe());
if (done > 0) Console.WriteLine($"resumed from the checkpoint of epoch {done}");

var accuracy = 0.0;
for (var epoch = done + 1; epoch <= epochs && !trial.StopRequested; epoch++)
{
    var epochClock = Stopwatch.StartNew();
    // Reseeding from (seed, epoch) makes every epoch reproducible on its own, so a resumed run
    // continues exactly as an uninterrupted one without saving random state.
    manual_seed(seed * 1000L + epoch);
    var trainClock = Stopwatch.StartNew();
    var trainLoss = Training.TrainEpoch(net, optimizer, data, Hyper.BatchSize, device, (batch, batches, loss) => trial.ReportProgress(epoch, batch, batches, loss));
    var samplesPerSecond = data.TrainImages.shape[0] / trainClock.Elapsed.TotalSeconds;
    var (testLoss, testAccuracy) = Training.Evaluate(net, data);
    accuracy = testAccuracy;
    trial.ReportEpoch(epoch, new Dictionary<string, double>
    {
        ["accuracy"] = testAccuracy,
        ["loss"] = trainLoss,
        ["test_loss"] = testLoss,
        ["samples_per_second"] = samplesPerSecond,
    }, epochClock.Elapsed.TotalSeconds);
    TorchCheckpoint.Save(trial, epoch, net, optimizer, Net.Describe());
    Console.WriteLine($"epoch {epoch}/{epochs}: loss {trainLoss:F4}, test accuracy {testAccuracy:P2} ({epochClock.Elapsed.TotalSeconds:F1} s)");
}
Console.WriteLine($"final test accuracy: {accuracy:F4}");

using System.Buffers.Binary;
using Autotune;
using ConditionalOptimizer;
using TorchSharp;
using static TorchSharp.torch;

// One epoch of a 784-64-10 MLP on the first MNIST_TRAIN_LIMIT images (default 2000), with the optimizer Hyper
// chooses; reports test accuracy (first MNIST_TEST_LIMIT images, default 1000) through the SDK.
var trial = Trial.Current;
var folder = Environment.GetEnvironmentVariable("MNIST_DIR") is { Length: > 0 } dir ? dir
    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "autotune", "mnist");
var trainLimit = int.TryParse(Environment.GetEnvironmentVariable("MNIST_TRAIN_LIMIT"), out var l) ? l : 2000;
var testLimit = int.TryParse(Environment.GetEnvironmentVariable("MNIST_TEST_LIMIT"), out var t) ? t : 1000;
var (trainX, trainY) = (Images(Path.Combine(folder, "train-images-idx3-ubyte"), trainLimit), Labels(Path.Combine(folder, "train-labels-idx1-ubyte"), trainLimit));
var (testX, testY) = (Images(Path.Combine(folder, "t10k-images-idx3-ubyte"), testLimit), Labels(Path.Combine(folder, "t10k-labels-idx1-ubyte"), testLimit));

manual_seed(trial.Seed(42));
var net = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10));
optim.Optimizer optimizer = Hyper.Optimizer == "sgd"
    ? optim.SGD(net.parameters(), 0.05, momentum: Hyper.Momentum)
    : optim.Adam(net.parameters(), 0.002);
Console.WriteLine($"optimizer {Hyper.Optimizer}, momentum {Hyper.Momentum}");
var loss = nn.CrossEntropyLoss();
for (var epoch = 1; epoch <= trial.Epochs(1) && !trial.StopRequested; epoch++)
{
    for (long start = 0; start < trainX.shape[0]; start += 64)
    {
        using var scope = NewDisposeScope();
        var n = Math.Min(64, trainX.shape[0] - start);
        optimizer.zero_grad();
        loss.forward(net.forward(trainX.narrow(0, start, n)), trainY.narrow(0, start, n)).backward();
        optimizer.step();
    }
    using (no_grad())
    using (var scope = NewDisposeScope())
    {
        var accuracy = net.forward(testX).argmax(1).eq(testY).to_type(ScalarType.Float32).mean().item<float>();
        trial.ReportEpoch(epoch, new Dictionary<string, double> { ["accuracy"] = accuracy });
    }
}
return 0;

static Tensor Images(string path, int limit)
{
    var bytes = Read(path, 16, 784, limit, out var count);
    return tensor(bytes.Select(b => b / 255f).ToArray(), [count, 784]);
}

static Tensor Labels(string path, int limit)
{
    var bytes = Read(path, 8, 1, limit, out var count);
    return tensor(bytes.Select(b => (long)b).ToArray(), [count]);
}

static byte[] Read(string path, int headerBytes, int itemBytes, int limit, out int count)
{
    using var file = File.OpenRead(path);
    var header = new byte[headerBytes];
    file.ReadExactly(header);
    count = Math.Min(BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)), limit);
    var items = new byte[count * itemBytes];
    file.ReadExactly(items);
    return items;
}

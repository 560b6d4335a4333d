using System.Buffers.Binary;
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

// An MNIST classifier the way a team writes it on its first day: a two-layer MLP, plain SGD, a
// hand-written loop whose batch size is the loop's stride, and Keras-style progress lines with a
// validation accuracy. Nobody tuned it: the rate is timid and the layer narrow.
const int TrainImages = 6000;
const int ValidationImages = 2000;

torch.manual_seed(7);
torch.set_num_threads(2);
var dir = Environment.GetEnvironmentVariable("MNIST_DIR") is { Length: > 0 } d ? d
    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "autotune", "mnist");
var x = ReadImages(Path.Combine(dir, "train-images-idx3-ubyte"), TrainImages);
var y = ReadLabels(Path.Combine(dir, "train-labels-idx1-ubyte"), TrainImages);
var valX = ReadImages(Path.Combine(dir, "t10k-images-idx3-ubyte"), ValidationImages);
var valY = ReadLabels(Path.Combine(dir, "t10k-labels-idx1-ubyte"), ValidationImages);

var net = Sequential(
    ("hidden", Linear(28 * 28, 32)),
    ("act", ReLU()),
    ("out", Linear(32, 10)));
var sgd = optim.SGD(net.parameters(), learningRate: 0.005);

var n = (int)x.shape[0];
var epochs = 4;
for (var epoch = 0; epoch < epochs; epoch++)
{
    var watch = Stopwatch.StartNew();
    net.train();
    using var perm = randperm(n);
    var total = 0.0;
    var steps = 0;
    for (var start = 0; start < n; start += 128)
    {
        using var _ = NewDisposeScope();
        var idx = perm.slice(0, start, Math.Min(n, start + 128), 1);
        var loss = functional.cross_entropy(net.forward(x.index_select(0, idx)), y.index_select(0, idx));
        sgd.zero_grad();
        loss.backward();
        sgd.step();
        total += loss.item<float>();
        steps++;
    }
    net.eval();
    double valLoss, valAcc;
    using (no_grad())
    using (NewDisposeScope())
    {
        var logits = net.forward(valX);
        valLoss = functional.cross_entropy(logits, valY).item<float>();
        valAcc = logits.argmax(1).eq(valY).sum().item<long>() / (double)ValidationImages;
    }
    Console.WriteLine($"Epoch {epoch + 1}/{epochs}");
    Console.WriteLine($"{steps}/{steps} - {watch.Elapsed.TotalSeconds:F0}s - loss: {total / steps:F4} - val_loss: {valLoss:F4} - val_accuracy: {valAcc:F4}");
}

static Tensor ReadImages(string path, int count)
{
    var bytes = File.ReadAllBytes(path);
    count = Math.Min(count, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4)));
    var pixels = new float[count * 784];
    for (var i = 0; i < pixels.Length; i++) pixels[i] = bytes[16 + i] / 255f;
    return tensor(pixels, [count, 784]);
}

static Tensor ReadLabels(string path, int count)
{
    var bytes = File.ReadAllBytes(path);
    count = Math.Min(count, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4)));
    return tensor(bytes.AsSpan(8, count).ToArray().Select(b => (long)b).ToArray(), [count]);
}

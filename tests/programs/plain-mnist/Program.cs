using System.Buffers.Binary;
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

// A small MNIST MLP written the way people write it before any tuning tool: settings are literals,
// progress goes to the console Keras-style. PLAIN_MNIST_LIMIT picks the training subset (default
// 3,000 images, so a run takes seconds); the seed is fixed, so a run repeats exactly.
var seed = 42;
var epochs = 3;
var batchSize = 64;
var hidden = 32;
var learningRate = 0.002;

var folder = Environment.GetEnvironmentVariable("MNIST_DIR") is { Length: > 0 } d ? d
    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "autotune", "mnist");
var limit = int.TryParse(Environment.GetEnvironmentVariable("PLAIN_MNIST_LIMIT"), out var l) && l > 0 ? l : 3000;

torch.manual_seed(seed);
torch.set_num_threads(Math.Max(1, Math.Min(2, Environment.ProcessorCount)));
var (trainX, trainY) = (Images(Path.Combine(folder, "train-images-idx3-ubyte"), limit), Labels(Path.Combine(folder, "train-labels-idx1-ubyte"), limit));
var (testX, testY) = (Images(Path.Combine(folder, "t10k-images-idx3-ubyte"), 2000), Labels(Path.Combine(folder, "t10k-labels-idx1-ubyte"), 2000));
Console.WriteLine($"loaded {trainX.shape[0]} training images and {testX.shape[0]} test images from {folder}");

var model = Sequential(("fc1", Linear(784, hidden)), ("relu", ReLU()), ("fc2", Linear(hidden, 10)));
var optimizer = optim.Adam(model.parameters(), lr: learningRate);
Console.WriteLine($"model: 784-{hidden}-10 MLP, Adam lr={learningRate}, batch {batchSize}, {epochs} epochs, seed {seed}");

for (var epoch = 1; epoch <= epochs; epoch++)
{
    var clock = Stopwatch.StartNew();
    model.train();
    var count = trainX.shape[0];
    var batches = (int)((count + batchSize - 1) / batchSize);
    using var order = randperm(count);
    double lossSum = 0;
    for (var b = 0; b < batches; b++)
    {
        using var scope = NewDisposeScope();
        var index = order.slice(0, b * batchSize, Math.Min(count, (b + 1) * batchSize), 1);
        var loss = functional.cross_entropy(model.forward(trainX.index_select(0, index)), trainY.index_select(0, index));
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        lossSum += loss.item<float>();
    }
    model.eval();
    double accuracy;
    using (no_grad())
    using (var scope = NewDisposeScope())
        accuracy = model.forward(testX).argmax(1).eq(testY).sum().item<long>() / (double)testX.shape[0];
    // Keras-style, with the accuracy as a percentage: the tool reads it as 0.xxxx.
    Console.WriteLine($"Epoch {epoch}/{epochs} - {clock.Elapsed.TotalSeconds:F1}s - loss: {lossSum / batches:F4} - accuracy: {accuracy * 100:F2}%");
}
return 0;

static Tensor Images(string path, int limit)
{
    var bytes = File.ReadAllBytes(path);
    var count = Math.Min(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4)), limit);
    var pixels = new float[count * 784];
    for (var i = 0; i < pixels.Length; i++) pixels[i] = (bytes[16 + i] / 255f - 0.1307f) / 0.3081f;
    return tensor(pixels, [count, 784]);
}

static Tensor Labels(string path, int limit)
{
    var bytes = File.ReadAllBytes(path);
    var count = Math.Min(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4)), limit);
    return tensor(bytes.AsSpan(8, count).ToArray().Select(b => (long)b).ToArray(), [count]);
}

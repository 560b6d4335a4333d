using System.Buffers.Binary;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

// The PyTorch MNIST example, ported line by line to TorchSharp by someone who had never heard of a
// tuner: a network class, Adadelta with a StepLR schedule, a DataLoader-free batch loop, and the
// example's own printing ("Train Epoch: 1 [0/4000 (0%)]" and "Test set: ... Accuracy: 912/1000 (91%)").
namespace PytorchExample;

public sealed class Net : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1 = Conv2d(1, 8, 3);
    private readonly Conv2d conv2 = Conv2d(8, 16, 3);
    private readonly Dropout dropout1 = Dropout(0.25);
    private readonly Dropout dropout2 = Dropout(0.5);
    private readonly Linear fc1 = Linear(16 * 12 * 12, 32);
    private readonly Linear fc2 = Linear(32, 10);

    public Net() : base("Net") => RegisterComponents();

    public override Tensor forward(Tensor x)
    {
        x = functional.relu(conv1.forward(x));
        x = functional.relu(conv2.forward(x));
        x = functional.max_pool2d(x, 2);
        x = dropout1.forward(x).flatten(1);
        x = functional.relu(fc1.forward(x));
        x = dropout2.forward(x);
        return functional.log_softmax(fc2.forward(x), 1);
    }
}

public static class Program
{
    public static void Main()
    {
        var batchSize = 64;
        var testBatchSize = 1000;
        var epochs = 3;
        var lr = 0.05;
        var gamma = 0.7;
        var logInterval = 20;

        torch.manual_seed(1);
        torch.set_num_threads(2);
        var root = Environment.GetEnvironmentVariable("MNIST_DIR") is { Length: > 0 } d ? d
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "autotune", "mnist");
        var (trainX, trainY) = Load(root, "train", 4000);
        var (testX, testY) = Load(root, "t10k", 1000);

        var model = new Net();
        var optimizer = optim.Adadelta(model.parameters(), lr);
        var scheduler = optim.lr_scheduler.StepLR(optimizer, 1, gamma);
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            Train(model, optimizer, trainX, trainY, batchSize, epoch, logInterval);
            Test(model, testX, testY, testBatchSize);
            scheduler.step();
        }
    }

    private static void Train(Net model, optim.Optimizer optimizer, Tensor x, Tensor y, int batchSize, int epoch, int logInterval)
    {
        model.train();
        var n = x.shape[0];
        using var order = randperm(n);
        for (long batch = 0, start = 0; start < n; batch++, start += batchSize)
        {
            using var scope = NewDisposeScope();
            var idx = order.narrow(0, start, Math.Min(batchSize, n - start));
            optimizer.zero_grad();
            var loss = functional.nll_loss(model.forward(x.index_select(0, idx)), y.index_select(0, idx));
            loss.backward();
            optimizer.step();
            if (batch % logInterval == 0)
                Console.WriteLine($"Train Epoch: {epoch} [{start}/{n} ({100.0 * start / n:F0}%)]\tLoss: {loss.item<float>():F6}");
        }
    }

    private static void Test(Net model, Tensor x, Tensor y, int batchSize)
    {
        model.eval();
        double testLoss = 0;
        long correct = 0;
        var n = x.shape[0];
        using (no_grad())
            for (long start = 0; start < n; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var output = model.forward(x.narrow(0, start, Math.Min(batchSize, n - start)));
                var target = y.narrow(0, start, Math.Min(batchSize, n - start));
                testLoss += functional.nll_loss(output, target, reduction: Reduction.Sum).item<float>();
                correct += output.argmax(1).eq(target).sum().item<long>();
            }
        Console.WriteLine($"\nTest set: Average loss: {testLoss / n:F4}, Accuracy: {correct}/{n} ({100.0 * correct / n:F0}%)\n");
    }

    private static (Tensor, Tensor) Load(string root, string prefix, int count)
    {
        var images = File.ReadAllBytes(Path.Combine(root, $"{prefix}-images-idx3-ubyte"));
        var labels = File.ReadAllBytes(Path.Combine(root, $"{prefix}-labels-idx1-ubyte"));
        count = Math.Min(count, BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4)));
        var pixels = new float[count * 784];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (images[16 + i] / 255f - 0.1307f) / 0.3081f;
        return (tensor(pixels, [count, 1, 28, 28]), tensor(labels.AsSpan(8, count).ToArray().Select(b => (long)b).ToArray(), [count]));
    }
}

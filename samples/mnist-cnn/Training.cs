using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MnistCnn;

/// <summary>One epoch of training and one batched evaluation; no settings of their own.</summary>
public static class Training
{
    public static double TrainEpoch(Net net, OptimizerHelper optimizer, MnistData data, int batchSize, Device device,
        Action<int, int, double> progress)
    {
        net.train();
        var count = data.TrainImages.shape[0];
        var batches = (int)((count + batchSize - 1) / batchSize);
        using var order = randperm(count, device: device);
        // The loss is summed on the device: reading it back every batch would stall a GPU.
        using var lossSum = zeros(1, device: device);
        for (var b = 0; b < batches; b++)
        {
            using var scope = NewDisposeScope();
            var index = order.slice(0, b * batchSize, Math.Min(count, (b + 1) * batchSize), 1);
            var output = net.forward(data.TrainImages.index_select(0, index));
            var loss = functional.cross_entropy(output, data.TrainLabels.index_select(0, index));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            lossSum.add_(loss.detach());
            if (b % 50 == 49 || b == batches - 1) progress(b + 1, batches, lossSum.item<float>() / (b + 1));
        }
        return lossSum.item<float>() / batches;
    }

    /// <summary>Test loss and accuracy over the whole test set, in batches to keep memory flat.</summary>
    public static (double Loss, double Accuracy) Evaluate(Net net, MnistData data, int batchSize = 1000)
    {
        net.eval();
        using var _ = no_grad();
        var count = data.TestImages.shape[0];
        double lossSum = 0;
        long correct = 0;
        for (long start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var end = Math.Min(count, start + batchSize);
            var x = data.TestImages.slice(0, start, end, 1);
            var y = data.TestLabels.slice(0, start, end, 1);
            var output = net.forward(x);
            lossSum += functional.cross_entropy(output, y, reduction: Reduction.Sum).item<float>();
            correct += output.argmax(1).eq(y).sum().item<long>();
        }
        return (lossSum / count, (double)correct / count);
    }
}

using System.Buffers.Binary;
using static TorchSharp.torch;

namespace MnistCnn;

/// <summary>The four IDX files of MNIST, read into tensors already normalised and placed on a device.</summary>
public sealed class MnistData(Tensor trainImages, Tensor trainLabels, Tensor testImages, Tensor testLabels) : IDisposable
{
    public Tensor TrainImages { get; } = trainImages;
    public Tensor TrainLabels { get; } = trainLabels;
    public Tensor TestImages { get; } = testImages;
    public Tensor TestLabels { get; } = testLabels;

    /// <summary>MNIST_DIR, else the cache folder that samples/mnist-cnn/fetch-mnist.sh fills.</summary>
    public static string DefaultFolder() =>
        Environment.GetEnvironmentVariable("MNIST_DIR") is { Length: > 0 } dir ? dir
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } c ? c
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "autotune", "mnist");

    /// <param name="trainLimit">Use only the first N training images (tests and benchmarks); 0 for all.</param>
    /// <param name="testLimit">Evaluate on the first N test images only (benchmarks: evaluation dominates a small epoch); 0 for all.</param>
    public static MnistData Load(string folder, Device device, int trainLimit = 0, int testLimit = 0)
    {
        var trainFile = Path.Combine(folder, "train-images-idx3-ubyte");
        if (!File.Exists(trainFile))
            throw new FileNotFoundException($"MNIST not found in {folder}: run samples/mnist-cnn/fetch-mnist.sh (or set MNIST_DIR)");
        var (trainX, trainY) = (Images(trainFile, trainLimit), Labels(Path.Combine(folder, "train-labels-idx1-ubyte"), trainLimit));
        var (testX, testY) = (Images(Path.Combine(folder, "t10k-images-idx3-ubyte"), testLimit), Labels(Path.Combine(folder, "t10k-labels-idx1-ubyte"), testLimit));
        return new MnistData(trainX.to(device), trainY.to(device), testX.to(device), testY.to(device));
    }

    private static Tensor Images(string path, int limit)
    {
        var bytes = Read(path, 2051, headerBytes: 16, bytesPerItem: 28 * 28, limit, out var count);
        var pixels = new float[count * 28 * 28];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (bytes[i] / 255f - 0.1307f) / 0.3081f;
        return tensor(pixels, [count, 1, 28, 28]);
    }

    private static Tensor Labels(string path, int limit)
    {
        var bytes = Read(path, 2049, headerBytes: 8, bytesPerItem: 1, limit, out var count);
        var labels = new long[count];
        for (var i = 0; i < count; i++) labels[i] = bytes[i];
        return tensor(labels, [count]);
    }

    /// <summary>The items of an IDX file after its header: only the first <paramref name="limit"/> are read when a limit is set.</summary>
    private static byte[] Read(string path, int magic, int headerBytes, int bytesPerItem, int limit, out int count)
    {
        using var file = File.OpenRead(path);
        var header = new byte[headerBytes];
        file.ReadExactly(header);
        Check(BinaryPrimitives.ReadInt32BigEndian(header) == magic, path);
        count = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        if (limit > 0) count = Math.Min(count, limit);
        var items = new byte[count * bytesPerItem];
        file.ReadExactly(items);
        return items;
    }

    private static void Check(bool ok, string path)
    {
        if (!ok) throw new InvalidDataException($"{path} is not an MNIST IDX file");
    }

    public void Dispose()
    {
        TrainImages.Dispose(); TrainLabels.Dispose(); TestImages.Dispose(); TestLabels.Dispose();
    }
}

using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MnistCnn;

/// <summary>A CNN whose depth, width, kernel, pooling, head and dropout come from the block.</summary>
public sealed class Net : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> layers;

    public Net(int convLayers, int filters, int kernelSize, string pooling, int denseUnits, double dropout) : base(nameof(Net))
    {
        var modules = new List<(string, Module<Tensor, Tensor>)>();
        var (channels, size) = (1, 28);
        for (var i = 0; i < convLayers; i++)
        {
            var width = filters << i;
            modules.Add(($"conv{i}", Conv2d(channels, width, kernelSize, padding: kernelSize / 2)));
            modules.Add(($"relu{i}", ReLU()));
            modules.Add(($"pool{i}", pooling switch
            {
                "max" => MaxPool2d(2),
                "avg" => AvgPool2d(2),
                _ => throw new ArgumentException($"unknown pooling '{pooling}'"),
            }));
            (channels, size) = (width, size / 2);
        }
        modules.Add(("flatten", Flatten()));
        modules.Add(("dense", Linear(channels * size * size, denseUnits)));
        modules.Add(("relu", ReLU()));
        modules.Add(("dropout", Dropout(dropout)));
        modules.Add(("out", Linear(denseUnits, 10)));
        layers = Sequential(modules);
        RegisterComponents();
    }

    /// <summary>Names the shape, so a checkpoint of another architecture is refused, not mis-loaded.</summary>
    public static string Describe() =>
        $"conv{Hyper.ConvLayers}x{Hyper.Filters}k{Hyper.KernelSize}-{Hyper.Pooling}-dense{Hyper.DenseUnits}";

    public override Tensor forward(Tensor input) => layers.forward(input);

    protected override void Dispose(bool disposing)
    {
        if (disposing) layers.Dispose();
        base.Dispose(disposing);
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace Helpers;

public sealed class Net : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> body;

    public Net(int blocks) : base("net")
    {
        var list = new List<nn.Module<Tensor, Tensor>>();
        for (var i = 0; i < blocks; i++) list.Add(ConvBlock(i == 0 ? 1 : 32, 32));
        body = nn.Sequential(list);
        RegisterComponents();
    }

    private static nn.Module<Tensor, Tensor> ConvBlock(int input, int output) =>
        nn.Sequential(nn.Conv2d(input, output, 3, padding: 1), nn.BatchNorm2d(output), nn.ReLU());

    public override Tensor forward(Tensor x) => body.forward(x);
}

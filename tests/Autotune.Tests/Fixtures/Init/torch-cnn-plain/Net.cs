using TorchSharp;
using static TorchSharp.torch;

namespace Plain;

public sealed class Net : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv1 = nn.Conv2d(1, 32, 3, padding: 1);
    private readonly nn.Module<Tensor, Tensor> conv2 = nn.Conv2d(32, 64, 3, padding: 1);
    private readonly nn.Module<Tensor, Tensor> pool = nn.MaxPool2d(2);
    private readonly nn.Module<Tensor, Tensor> fc = nn.Linear(64 * 7 * 7, 10);

    public Net() : base("net") => RegisterComponents();

    public override Tensor forward(Tensor x)
    {
        x = pool.forward(nn.functional.relu(conv1.forward(x)));
        x = pool.forward(nn.functional.relu(conv2.forward(x)));
        return fc.forward(x.flatten(1));
    }
}

using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

var net = new Cnn.Net();
var optimizer = optim.SGD(net.parameters(), Cnn.Hyper.LearningRate);
for (var epoch = 0; epoch < 3; epoch++) Console.WriteLine(epoch);

namespace Cnn
{
    public sealed class Net : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> conv = Conv2d(1, Hyper.Width, 3);
        private readonly Module<Tensor, Tensor> head = Linear(Hyper.Width * Hyper.Layers, 10);
        public Net() : base("net") => RegisterComponents();
        public override Tensor forward(Tensor x) => head.forward(conv.forward(x).flatten(1));
    }
}

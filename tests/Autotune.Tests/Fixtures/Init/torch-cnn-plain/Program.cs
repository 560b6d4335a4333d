using Plain;
using TorchSharp;
using static TorchSharp.torch;

const int Epochs = 3;
const float LearningRate = 1e-3f;
var net = new Net();
var optimizer = optim.SGD(net.parameters(), LearningRate);
for (var e = 0; e < Epochs; e++)
{
    var loss = nn.functional.cross_entropy(net.forward(randn(8, 1, 28, 28)), randint(0, 10, new long[] { 8 }));
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
}

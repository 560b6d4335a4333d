using TorchSharp;
using static TorchSharp.torch;

var model = nn.Linear(3, 1);
var optimizer = optim.SGD(model.parameters(), Fit.LearningRate);
var x = randn(100, 3);
var y = x.sum(1, keepdim: true);
for (var epoch = 0; epoch < Fit.Epochs; epoch++)
{
    optimizer.zero_grad();
    var loss = nn.functional.mse_loss(model.forward(x), y);
    loss.backward();
    optimizer.step();
}

[Autotune.Hyperparameters]
public static class Fit
{
    [Autotune.LogRange(0.001, 0.5)] public const float LearningRate = 0.05f;
    [Autotune.Range(10, 500)] public const int Epochs = 100;
}

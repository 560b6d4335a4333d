using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

var model = Sequential(
    ("conv1", Conv2d(1, Hyper.Filters, 3)),
    ("relu1", ReLU()),
    ("pool1", MaxPool2d(2)),
    ("flat", Flatten()),
    ("out", Linear(Hyper.Filters * 13 * 13, 10)));
Console.WriteLine(model);

[Autotune.Hyperparameters]
public static class Hyper
{
    [Autotune.Choice(8, 16, 32)] public const int Filters = 16;
}

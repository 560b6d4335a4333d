using TorchSharp;
using static TorchSharp.torch;

var layers = new List<nn.Module<Tensor, Tensor>>();
var width = 784;
for (var i = 0; i < Mlp.Hidden; i++)
{
    layers.Add(nn.Linear(width, Mlp.Units));
    layers.Add(nn.ReLU());
    width = Mlp.Units;
}
var model = nn.Sequential(layers);
Console.WriteLine(model);

[Autotune.Hyperparameters]
public static class Mlp
{
    [Autotune.Range(1, 6)] public const int Hidden = 2;
    [Autotune.Range(16, 512, Step = 16)] public const int Units = 128;
    [Autotune.Choice(true, false)] public const bool Shuffle = true;
}

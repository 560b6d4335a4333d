using static TorchSharp.torch;

var model = nn.Sequential(nn.Linear(10, Real.Width), nn.ReLU(), nn.Linear(Real.Width, 1));
Console.WriteLine(model);

[Autotune.Hyperparameters]
public static class Real
{
    [Autotune.Choice(8, 16)] public const int Width = 8;
}

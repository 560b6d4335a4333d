using TorchSharp;
using static TorchSharp.torch;

namespace Sequence;

public sealed class Tagger : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Embedding embed = nn.Embedding(1000, Settings.Hidden);
    private readonly TorchSharp.Modules.LSTM lstm = nn.LSTM(Settings.Hidden, Settings.Hidden, numLayers: Settings.Layers);
    private readonly TorchSharp.Modules.Linear head = nn.Linear(Settings.Hidden, 5);

    public Tagger() : base("tagger") => RegisterComponents();

    public override Tensor forward(Tensor x)
    {
        var (output, _, _) = lstm.forward(embed.forward(x));
        return head.forward(output);
    }

    public static void Main() => Console.WriteLine(new Tagger());
}

[Autotune.Hyperparameters]
public static class Settings
{
    [Autotune.Choice(64, 128, 256)] public const int Hidden = 128;
    [Autotune.Range(1, 3)] public const int Layers = 1;
}

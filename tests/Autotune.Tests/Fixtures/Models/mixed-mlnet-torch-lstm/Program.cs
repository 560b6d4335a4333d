using Microsoft.ML;
using TorchSharp;
using static TorchSharp.torch;

// ML.NET prepares the text; TorchSharp trains the sequence model.
var ml = new MLContext();
var featurizer = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text");
var lstm = nn.LSTM(64, 128, numLayers: Seq.Layers, dropout: Seq.Dropout);
var head = nn.Linear(128, 3);
var device = torch.device(Seq.UseGpu ? "cuda" : "cpu");
Console.WriteLine($"{featurizer} {lstm} {head} {device}");

[Autotune.Hyperparameters]
public static class Seq
{
    [Autotune.Range(1, 4)] public const int Layers = 2;
    [Autotune.Range(0.0, 0.5)] public const double Dropout = 0.2;
    [Autotune.Choice(true, false)] public const bool UseGpu = false;
}

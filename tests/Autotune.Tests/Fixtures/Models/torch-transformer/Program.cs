using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

var layer = TransformerEncoderLayer(Block.ModelWidth, Block.Heads, Block.ModelWidth * 4, Block.Dropout);
var encoder = TransformerEncoder(layer, Block.Depth);
var embed = Embedding(5000, Block.ModelWidth);
var head = Linear(Block.ModelWidth, 2);
Console.WriteLine($"{encoder} {embed} {head}");

[Autotune.Hyperparameters]
static class Block
{
    [Autotune.Choice(128, 256, 512)] public const long ModelWidth = 256;
    [Autotune.Choice(4, 8)] public const long Heads = 8;
    [Autotune.Range(1, 12)] public const long Depth = 4;
    [Autotune.Range(0.0, 0.3)] public const double Dropout = 0.1;
}

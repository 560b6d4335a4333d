using TorchSharp;
using static TorchSharp.torch;

namespace Attn;

public sealed class SelfAttentionBlock : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.MultiheadAttention attention = nn.MultiheadAttention(64, 4);
    private readonly TorchSharp.Modules.Linear ff1 = nn.Linear(64, 256);
    private readonly TorchSharp.Modules.Linear ff2 = nn.Linear(256, 64);

    public SelfAttentionBlock() : base("block") => RegisterComponents();

    public override Tensor forward(Tensor x)
    {
        var (a, _) = attention.forward(x, x, x);
        return ff2.forward(nn.functional.relu(ff1.forward(x + a)));
    }
}

public static class Program
{
    public static void Main(string[] args)
    {
        var device = torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        using var block = new SelfAttentionBlock();
        block.to(device);
    }
}

using static TorchSharp.torch.nn;

namespace Tabular;

public static class Model
{
    public static void Main()
    {
        var net = Sequential(Linear(20, 64), Tanh(), Linear(64, 64), Tanh(), Linear(64, 1));
        System.Console.WriteLine(net);
    }
}

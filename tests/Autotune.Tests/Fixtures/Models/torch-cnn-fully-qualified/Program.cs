namespace Qualified;

public static class Program
{
    public static void Main()
    {
        var device = TorchSharp.torch.device("cuda");
        var conv = TorchSharp.torch.nn.Conv2d(3, 8, 3);
        var pool = TorchSharp.torch.nn.MaxPool2d(2);
        conv.to(device);
        System.Console.WriteLine(pool);
    }
}

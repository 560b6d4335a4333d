using TorchSharp;
using static TorchSharp.torch;
using static Typed.Knobs;

namespace Typed
{
    public enum Pooling { Max, Average }

    public static class Program
    {
        public static void Main()
        {
            var conv = nn.Conv2d(1, Channels, Kernel);
            var pool = Pool == Pooling.Max ? nn.MaxPool2d(2) : nn.AvgPool2d(2);
            var drop = nn.Dropout(DropRate);
            Console.WriteLine($"{conv} {pool} {drop} {Steps} {(Augment ? Name : "")}");
        }
    }

    [Autotune.Hyperparameters]
    public static class Knobs
    {
        [Autotune.Choice(16, 32, 64)] public const int Channels = 32;
        [Autotune.Choice(3, 5, 7)] public const short Kernel = 3;
        [Autotune.Choice(Pooling.Max, Pooling.Average)] public const Pooling Pool = Pooling.Max;
        [Autotune.Range(0.0, 0.5)] public const float DropRate = 0.25f;
        [Autotune.LogRange(100, 100000)] public const long Steps = 1000;
        [Autotune.Choice(true, false)] public const bool Augment = false;
        [Autotune.Choice("run-a", "run \"b\"")] public const string Name = "run-a";
    }
}

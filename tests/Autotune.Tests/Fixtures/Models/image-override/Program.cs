using static TorchSharp.torch.nn;

var model = Conv2d(1, 8, 3);
Console.WriteLine(model);

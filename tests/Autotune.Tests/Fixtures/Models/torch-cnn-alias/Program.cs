using nn = TorchSharp.torch.nn;
using TorchSharp;
using static TorchSharp.torch;

var device = cuda.is_available() ? new Device(DeviceType.CUDA) : new Device(DeviceType.CPU);
var model = nn.Sequential(nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 12 * 12, 10));
model.to(device);
Console.WriteLine(model);

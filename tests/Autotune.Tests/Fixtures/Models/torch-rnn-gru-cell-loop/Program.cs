using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

var cells = new List<Module<Tensor, Tensor, Tensor>>();
for (var i = 0; i < 2; i++) cells.Add(GRUCell(32, 32));
var head = Linear(32, 1);
Console.WriteLine(cells.Count + " " + head);

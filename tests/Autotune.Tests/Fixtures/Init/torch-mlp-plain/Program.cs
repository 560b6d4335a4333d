using TorchSharp;
using static TorchSharp.torch;

// A plain MLP, written with no thought of autotune: every setting is a literal.
var model = nn.Sequential(
    ("fc1", nn.Linear(784, 256)),
    ("relu1", nn.ReLU()),
    ("drop", nn.Dropout(0.2)),
    ("fc2", nn.Linear(256, 64)),
    ("relu2", nn.ReLU()),
    ("out", nn.Linear(64, 10)));
var optimizer = optim.Adam(model.parameters(), lr: 0.01);
var batchSize = 128;
var x = randn(batchSize, 784);
var y = randint(0, 10, new long[] { batchSize });
for (var epoch = 0; epoch < 5; epoch++)
{
    optimizer.zero_grad();
    var loss = nn.functional.cross_entropy(model.forward(x), y);
    loss.backward();
    optimizer.step();
    Console.WriteLine($"epoch {epoch + 1}: loss {loss.item<float>():F4}");
}

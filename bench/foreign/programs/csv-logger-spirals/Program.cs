using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

// Three interleaved spirals, told apart by a small MLP. The team logs each epoch to metrics.csv (the
// way Keras' CSVLogger does) and looks at it in a spreadsheet; the console only says it is busy.
// Written once with Adam's textbook rate and never tuned: too few units and epochs for the spirals.
var random = new Random(2024);
var (trainX, trainY) = Spirals(random, 1500);
var (valX, valY) = Spirals(random, 600);

torch.manual_seed(3);
torch.set_num_threads(2);
var hiddenLayers = 1;
var hiddenSize = 16;
var layers = new List<(string, Module<Tensor, Tensor>)> { ("in", Linear(2, hiddenSize)), ("in_act", Tanh()) };
for (var i = 0; i < hiddenLayers; i++)
{
    layers.Add(($"hidden{i}", Linear(hiddenSize, hiddenSize)));
    layers.Add(($"act{i}", Tanh()));
}
layers.Add(("out", Linear(hiddenSize, 3)));
var model = Sequential(layers);
var adam = optim.Adam(model.parameters(), lr: 0.001, weight_decay: 0.0001);

var epochs = 20;
var batchSize = 32;
var csv = "metrics.csv";
File.WriteAllText(csv, "epoch,loss,val_loss,val_accuracy\n");
Console.WriteLine($"training on {trainX.shape[0]} points, logging to {csv}");
var n = trainX.shape[0];
for (var epoch = 1; epoch <= epochs; epoch++)
{
    model.train();
    using var order = randperm(n);
    double sum = 0;
    var batches = 0;
    for (long start = 0; start < n; start += batchSize)
    {
        using var scope = NewDisposeScope();
        var idx = order.narrow(0, start, Math.Min(batchSize, n - start));
        var loss = functional.cross_entropy(model.forward(trainX.index_select(0, idx)), trainY.index_select(0, idx));
        adam.zero_grad();
        loss.backward();
        adam.step();
        sum += loss.item<float>();
        batches++;
    }
    model.eval();
    using (no_grad())
    using (NewDisposeScope())
    {
        var logits = model.forward(valX);
        var valLoss = functional.cross_entropy(logits, valY).item<float>();
        var valAccuracy = logits.argmax(1).eq(valY).sum().item<long>() / (double)valX.shape[0];
        File.AppendAllText(csv, string.Create(CultureInfo.InvariantCulture, $"{epoch},{sum / batches:F5},{valLoss:F5},{valAccuracy:F4}\n"));
    }
    Console.Write('.');
}
Console.WriteLine(" done");

static (Tensor, Tensor) Spirals(Random random, int perClass)
{
    var points = new float[3 * perClass * 2];
    var labels = new long[3 * perClass];
    for (var c = 0; c < 3; c++)
        for (var i = 0; i < perClass; i++)
        {
            var r = (double)i / perClass;
            var angle = c * 2 * Math.PI / 3 + r * 4 * Math.PI + random.NextDouble() * 0.3;
            var k = c * perClass + i;
            points[2 * k] = (float)(r * Math.Cos(angle));
            points[2 * k + 1] = (float)(r * Math.Sin(angle));
            labels[k] = c;
        }
    return (tensor(points, [3 * perClass, 2]), tensor(labels));
}

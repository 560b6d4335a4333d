// A program without the Autotune SDK that logs its epochs to metrics.csv as Keras' CSVLogger does (a
// header, then one row per epoch, counted from 0) and prints nothing autotune can read. It "trains" a
// closed form: val_accuracy climbs towards 1 at the learning rate's pace.
// PLAIN_CSV_EPOCHS: train this many epochs instead.
// PLAIN_CSV_CHECKPOINT: a file where the program keeps its own checkpoint (the last epoch done); with it,
// the first start kills itself after epoch 1 (counted from 0) and the next resumes from the checkpoint,
// appending its rows without a header, as a logger in append mode does.
using System.Diagnostics;
using System.Globalization;

var learningRate = 0.05;
var epochs = int.Parse(Environment.GetEnvironmentVariable("PLAIN_CSV_EPOCHS") ?? "6", CultureInfo.InvariantCulture);
var log = "metrics.csv";
var checkpoint = Environment.GetEnvironmentVariable("PLAIN_CSV_CHECKPOINT");
var first = checkpoint is not null && File.Exists(checkpoint) ? int.Parse(File.ReadAllText(checkpoint), CultureInfo.InvariantCulture) + 1 : 0;
if (first == 0 && !File.Exists(log)) File.WriteAllText(log, "epoch,loss,val_accuracy\n");
Console.WriteLine(first == 0 ? "training a closed-form toy" : $"resuming a closed-form toy at epoch {first}");
for (var epoch = first; epoch < epochs; epoch++)
{
    Thread.Sleep(150);
    var accuracy = 1 - 0.5 * Math.Exp(-4 * learningRate * (epoch + 1));
    File.AppendAllText(log, FormattableString.Invariant($"{epoch},{1 - accuracy:F4},{accuracy:F4}\n"));
    if (checkpoint is null) continue;
    File.WriteAllText(checkpoint, epoch.ToString(CultureInfo.InvariantCulture));
    if (epoch == 1 && !File.Exists(checkpoint + ".killed"))
    {
        File.WriteAllText(checkpoint + ".killed", "");
        Process.GetCurrentProcess().Kill(); // dies as a killed trial does: SIGKILL, no goodbye
    }
}
Console.WriteLine("done, model saved to model.bin");

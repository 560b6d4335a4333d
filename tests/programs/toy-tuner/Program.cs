using System.Globalization;
using Autotune;
using ToyTuner;

// A model program whose "training" is a known curve: the score after epoch e is
// peak(values) * (1 - 0.5^e), so tune tests are fast and deterministic. It reports and
// checkpoints through the SDK like a real program; TOY_EPOCH_DELAY_MS slows epochs for kill tests, and
// TOY_THROW_IN_TRIAL=N makes trial N throw (an unhandled exception) before its first epoch.
var trial = Trial.Current;
var epochs = trial.Epochs(Hyper.Epochs);
var delay = int.TryParse(Environment.GetEnvironmentVariable("TOY_EPOCH_DELAY_MS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) ? d : 0;
if (Environment.GetEnvironmentVariable("TOY_THROW_IN_TRIAL") == trial.Number.ToString(CultureInfo.InvariantCulture))
    throw new InvalidOperationException($"toy failure in trial {trial.Number}");
var peak = 1 - Math.Pow(Math.Log10(Hyper.LearningRate) - Math.Log10(0.003), 2) / 8 - Math.Pow(Math.Log2(Hyper.Width / 32.0), 2) / 16;
var first = (trial.Checkpoints.Latest()?.Epoch ?? 0) + 1;
if (first > 1) Console.WriteLine($"resumed from the checkpoint of epoch {first - 1}");
for (var epoch = first; epoch <= epochs && !trial.StopRequested; epoch++)
{
    if (delay > 0) Thread.Sleep(delay);
    trial.ReportEpoch(epoch, new Dictionary<string, double> { ["score"] = peak * (1 - Math.Pow(0.5, epoch)) }, delay / 1000.0);
    trial.Checkpoints.Save(epoch, folder => File.WriteAllText(Path.Combine(folder, "epoch.txt"), epoch.ToString(CultureInfo.InvariantCulture)));
}
return 0;

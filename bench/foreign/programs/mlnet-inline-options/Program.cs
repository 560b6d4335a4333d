using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

// A tumour classifier the way the ML.NET docs show it: text loader, a train/test split, FastTree with
// its options written inline, and the evaluation printed. The trainer options were copied from a
// blog post about a much larger data set and never revisited.
var dataPath = Environment.GetEnvironmentVariable("BREAST_CANCER_CSV") is { Length: > 0 } p ? p
    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "autotune", "breast-cancer", "breast_cancer.csv");
var rows = File.ReadAllLines(dataPath).Skip(1)
    .Select(line => line.Split(','))
    .Select(f => new Tumour
    {
        Features = f.Take(30).Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        Label = f[30] == "0",
    })
    .ToList();

var ml = new MLContext(seed: 42);
var split = ml.Data.TrainTestSplit(ml.Data.LoadFromEnumerable(rows), testFraction: 0.3, seed: 42);
var options = new FastTreeBinaryTrainer.Options
{
    NumberOfTrees = 4,
    NumberOfLeaves = 2,
    MinimumExampleCountPerLeaf = 60,
    LearningRate = 0.02,
    NumberOfThreads = 1,
    LabelColumnName = "Label",
    FeatureColumnName = "Features",
};
var model = ml.BinaryClassification.Trainers.FastTree(options).Fit(split.TrainSet);
var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet));
Console.WriteLine($"Accuracy: {metrics.Accuracy:P2}");
Console.WriteLine($"AUC: {metrics.AreaUnderRocCurve:P2}");
Console.WriteLine($"F1 Score: {metrics.F1Score:P2}");

public sealed class Tumour
{
    [VectorType(30)] public float[] Features { get; set; } = [];
    public bool Label { get; set; }
}

using System.Diagnostics;
using Autotune;
using BreastCancer;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

// Boosted trees (ML.NET FastTree) that tell malignant from benign tumours, trained on three quarters of the
// Wisconsin diagnostic data and measured on the held-out quarter. The whole ensemble is fitted in one call
// in well under a second, so a trial is one "epoch": it reports AUC and accuracy once, through the SDK.
var trial = Trial.Current;
var seed = trial.Seed(42);
var path = BreastCancerData.Find();
if (path is null)
    trial.Fail(TrialFailure.InvalidInput, $"{BreastCancerData.FileName} not found: run samples/tabular-breast-cancer/fetch-data.sh, then build again");
var (train, test) = BreastCancerData.Split(BreastCancerData.Load(path!));
Console.WriteLine($"data: {path}, {train.Count} training and {test.Count} held-out tumours; seed {seed}, trial folder {trial.Folder}");

var clock = Stopwatch.StartNew();
var ml = new MLContext(seed);
var trainer = ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
{
    NumberOfTrees = Hyper.NumberOfTrees,
    NumberOfLeaves = Hyper.NumberOfLeaves,
    LearningRate = Hyper.LearningRate,
    MinimumExampleCountPerLeaf = Hyper.MinimumExampleCountPerLeaf,
    FeatureFraction = Hyper.FeatureFraction,
    Seed = seed,
    NumberOfThreads = 1, // one thread: the same values always grow the same trees
    LabelColumnName = nameof(Tumour.Label),
    FeatureColumnName = nameof(Tumour.Features),
});
var model = trainer.Fit(ml.Data.LoadFromEnumerable(train));
var metrics = ml.BinaryClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(test)), nameof(Tumour.Label));

trial.ReportEpoch(1, new Dictionary<string, double>
{
    ["auc"] = metrics.AreaUnderRocCurve,
    ["accuracy"] = metrics.Accuracy,
    ["f1"] = metrics.F1Score,
}, clock.Elapsed.TotalSeconds);
Console.WriteLine($"held-out AUC {metrics.AreaUnderRocCurve:F4}, accuracy {metrics.Accuracy:F4}, F1 {metrics.F1Score:F4} ({clock.Elapsed.TotalSeconds:F2} s)");

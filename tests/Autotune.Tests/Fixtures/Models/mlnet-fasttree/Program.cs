using Microsoft.ML;
using Microsoft.ML.Data;

var mlContext = new MLContext(seed: 1);
var data = mlContext.Data.LoadFromTextFile<Row>("data.csv", hasHeader: true, separatorChar: ',');
var pipeline = mlContext.Transforms.Concatenate("Features", "A", "B")
    .Append(mlContext.BinaryClassification.Trainers.FastTree(numberOfLeaves: Trees.Leaves, numberOfTrees: Trees.Count, learningRate: Trees.LearningRate));
var model = pipeline.Fit(data);
Console.WriteLine(model);

public sealed class Row
{
    [LoadColumn(0)] public float A { get; set; }
    [LoadColumn(1)] public float B { get; set; }
    [LoadColumn(2)] public bool Label { get; set; }
}

[Autotune.Hyperparameters]
public static class Trees
{
    [Autotune.Range(2, 128)] public const int Leaves = 20;
    [Autotune.Range(10, 1000, Step = 10)] public const int Count = 100;
    [Autotune.LogRange(0.01, 0.5)] public const double LearningRate = 0.2;
}

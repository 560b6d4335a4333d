using Microsoft.ML;
using Microsoft.ML.Data;

var mlContext = new MLContext(seed: 1);
var data = mlContext.Data.LoadFromTextFile<Row>("data.csv", hasHeader: true, separatorChar: ',');
var pipeline = mlContext.Transforms.Concatenate("Features", "A", "B")
    .Append(mlContext.BinaryClassification.Trainers.FastTree(numberOfLeaves: 20, numberOfTrees: 100, minimumExampleCountPerLeaf: 10, learningRate: 0.2));
var model = pipeline.Fit(data);
Console.WriteLine(model);

public sealed class Row
{
    [LoadColumn(0)] public float A { get; set; }
    [LoadColumn(1)] public float B { get; set; }
    [LoadColumn(2)] public bool Label { get; set; }
}

using Microsoft.ML;

var ml = new MLContext();
var trainers = ml.Regression.Trainers;
var data = ml.Data.LoadFromTextFile<House>("houses.csv", separatorChar: ',');
var estimator = ml.Transforms.Concatenate("Features", nameof(House.Size))
    .Append(trainers.LightGbm(numberOfLeaves: 31));
Console.WriteLine(estimator.Fit(data));

public sealed class House
{
    [Microsoft.ML.Data.LoadColumn(0)] public float Size { get; set; }
    [Microsoft.ML.Data.LoadColumn(1)] public float Label { get; set; }
}

using Microsoft.ML;

var ml = new MLContext();
var data = ml.Data.LoadFromTextFile<Point>("points.csv", separatorChar: ',');
var pipeline = ml.Transforms.Concatenate("Features", "X", "Y").Append(ml.Clustering.Trainers.KMeans(numberOfClusters: 3));
Console.WriteLine(pipeline.Fit(data));

public sealed class Point
{
    [Microsoft.ML.Data.LoadColumn(0)] public float X { get; set; }
    [Microsoft.ML.Data.LoadColumn(1)] public float Y { get; set; }
}

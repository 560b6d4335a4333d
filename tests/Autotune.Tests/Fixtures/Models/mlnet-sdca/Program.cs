using Microsoft.ML;

var context = new MLContext();
var data = context.Data.LoadFromEnumerable(new[] { new Sample { Text = "good", Label = true } });
var pipeline = context.Transforms.Text.FeaturizeText("Features", nameof(Sample.Text))
    .Append(context.BinaryClassification.Trainers.SdcaLogisticRegression(l2Regularization: Linear.L2));
Console.WriteLine(pipeline.Fit(data));

public sealed class Sample
{
    public string Text { get; set; } = "";
    public bool Label { get; set; }
}

[Autotune.Hyperparameters]
public static class Linear
{
    [Autotune.LogRange(1e-6, 1.0)] public const float L2 = 1e-3f;
}

using Microsoft.ML;
using Microsoft.ML.Vision;

var ml = new MLContext { GpuDeviceId = 0, FallbackToCpu = true };
var images = ml.Data.LoadFromTextFile<ImageRow>("images.tsv");
var options = new ImageClassificationTrainer.Options { LabelColumnName = "Label", FeatureColumnName = "Image", Epoch = 20 };
var pipeline = ml.MulticlassClassification.Trainers.ImageClassification(options);
Console.WriteLine(pipeline.Fit(images));

public sealed class ImageRow
{
    public byte[] Image { get; set; } = [];
    public string Label { get; set; } = "";
}

// No SDK: the block's attributes are its own, and its metrics are printed, Keras-style, as percentages.
// A rate above 0.15 diverges (the loss becomes nan), as a too-large learning rate does.
for (var epoch = 1; epoch <= 8; epoch++)
{
    Thread.Sleep(200);
    var accuracy = Math.Min(0.99, 0.5 + Hyper.Rate * epoch);
    var loss = Hyper.Rate > 0.15 && epoch >= 2 ? double.NaN : 1 - accuracy;
    Console.WriteLine(FormattableString.Invariant($"Epoch {epoch}/8 - loss: {loss:F4} - accuracy: {accuracy * 100:F2}%"));
}

[AttributeUsage(AttributeTargets.Class)] sealed class HyperparametersAttribute : Attribute;
[AttributeUsage(AttributeTargets.Field)] sealed class RangeAttribute(double min, double max) : Attribute;

[Hyperparameters]
static class Hyper
{
    [Range(0.01, 0.2)] public const double Rate = 0.02;
}

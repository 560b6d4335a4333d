using Tensorflow.Keras.Engine;
using static Tensorflow.Binding;
using static Tensorflow.KerasApi;

var layers = keras.layers;
var inputs = keras.Input(shape: (28, 28, 1));
var x = layers.Conv2D(32, (3, 3), activation: "relu").Apply(inputs);
x = layers.MaxPooling2D().Apply(x);
x = layers.Flatten().Apply(x);
var outputs = layers.Dense(10).Apply(x);
var model = keras.Model(inputs, outputs);
model.compile(optimizer: keras.optimizers.Adam(Conf.LearningRate), loss: keras.losses.SparseCategoricalCrossentropy(from_logits: true));

[Autotune.Hyperparameters]
public static class Conf
{
    [Autotune.LogRange(1e-4, 1e-2)] public const float LearningRate = 0.001f;
}

// PLAIN_TOY_MODE: keras (default: three epochs, Keras-style), silent (prints no metric), nan (the loss
// becomes nan in epoch 2), longline (an 8 MiB line first), endless (prints lines without end),
// endlessline (prints one line without end: never a newline).
var mode = Environment.GetEnvironmentVariable("PLAIN_TOY_MODE") ?? "keras";
Console.WriteLine("loaded 60000 images");
Console.WriteLine("learning rate: 0.001");
switch (mode)
{
    case "silent":
        Console.WriteLine("training...");
        Console.WriteLine("done, model saved to model.bin");
        return 0;
    case "longline":
        var chunk = new string('#', 1 << 20);
        for (var i = 0; i < 8; i++) Console.Out.Write(chunk);
        Console.WriteLine();
        break;
    case "endless":
        for (var i = 0L; ; i++) Console.WriteLine($"batch {i} of a loop that never ends, {new string('.', 200)}");
    case "endlessline":
        var dots = new string('.', 1 << 16);
        while (true) Console.Out.Write(dots);
}
for (var epoch = 1; epoch <= 3; epoch++)
{
    var loss = mode == "nan" && epoch >= 2 ? double.NaN : 1.0 / (epoch + 1);
    Console.WriteLine(FormattableString.Invariant($"Epoch {epoch}/3 - 1s - loss: {loss:F4} - accuracy: {70 + 10 * epoch}.00% - val_accuracy: 0.{50 + epoch}"));
}
return 0;

using Microsoft.ML.OnnxRuntime;

var options = new SessionOptions();
options.AppendExecutionProvider_CUDA(0);
using var session = new InferenceSession("model.onnx", options);
Console.WriteLine(session.InputMetadata.Count);

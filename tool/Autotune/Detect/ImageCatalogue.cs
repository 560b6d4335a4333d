using System.Text.Json;

namespace Autotune.Detect;

/// <summary>
/// Framework x device -> the name of a runtime image template (under templates/images/). The default
/// catalogue ships with the tool; a repository overrides or extends it with <c>autotune.images.json</c>
/// in the model folder:
/// <code>{ "images": [ { "framework": "TorchSharp", "device": "cuda", "image": "my-torch-cuda" } ] }</code>
/// framework is one of TorchSharp, ML.NET, TensorFlow.NET, ONNX Runtime, none; device is cpu, cuda or
/// any. Entries of the override file are tried first, in order; the first match wins.
/// </summary>
public sealed class ImageCatalogue
{
    public const string OverrideFile = "autotune.images.json";

    public sealed record Entry(Framework Framework, string Device, string Image, Evidence Source)
    {
        public bool Matches(Framework f, string device) => Framework == f && (Device == "any" || Device == device);
    }

    private static Evidence Builtin => new("default catalogue", 0, "default image");

    public static readonly IReadOnlyList<Entry> Defaults =
    [
        new(Framework.TorchSharp, "cpu", "torchsharp-cpu", Builtin),
        new(Framework.TorchSharp, "cuda", "torchsharp-cuda", Builtin),
        new(Framework.MlNet, "any", "mlnet", Builtin),
        new(Framework.TensorFlowNet, "cpu", "tensorflow-cpu", Builtin),
        new(Framework.TensorFlowNet, "cuda", "tensorflow-cuda", Builtin),
        new(Framework.OnnxRuntime, "cpu", "onnxruntime-cpu", Builtin),
        new(Framework.OnnxRuntime, "cuda", "onnxruntime-cuda", Builtin),
        new(Framework.None, "any", "dotnet", Builtin),
    ];

    public IReadOnlyList<Entry> Entries { get; }

    public ImageCatalogue(IEnumerable<Entry> overrides) => Entries = overrides.Concat(Defaults).ToList();

    public ImageChoice Choose(Framework framework, string device)
    {
        var entry = Entries.FirstOrDefault(e => e.Matches(framework, device)) ?? Defaults[^1];
        var why = $"{entry.Image} for {FrameworkNames.Display(framework)} on {device}";
        return new ImageChoice(entry.Image, entry.Source with { Why = why });
    }

    /// <summary>The default catalogue, with the model folder's override file in front of it when there is one.</summary>
    public static ImageCatalogue Load(string modelDir, List<DetectProblem> problems)
    {
        var path = Path.Combine(modelDir, OverrideFile);
        if (!File.Exists(path)) return new ImageCatalogue([]);
        if (RepositoryFile.Outside(modelDir, path) is { } real)
        {
            problems.Add(DetectProblem.Error(OverrideFile, 0, 0, $"leads to {real}, outside the model folder: autotune reads only files inside it; replace the symbolic link with the file itself"));
            return new ImageCatalogue([]);
        }
        if (Files.PathKinds.Of(path) is var kind && kind is not Files.PathKind.File)
        {
            problems.Add(DetectProblem.Error(OverrideFile, 0, 0, $"is {Files.PathKinds.Words(kind)}, not a regular file: autotune reads only regular files; replace it with the file itself"));
            return new ImageCatalogue([]);
        }
        var overrides = new List<Entry>();
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!doc.RootElement.TryGetProperty("images", out var images) || images.ValueKind != JsonValueKind.Array)
            {
                problems.Add(DetectProblem.Error(OverrideFile, 1, 0, "has no \"images\" array: write { \"images\": [ { \"framework\": ..., \"device\": ..., \"image\": ... } ] }"));
                return new ImageCatalogue([]);
            }
            var index = 0;
            foreach (var item in images.EnumerateArray())
            {
                index++;
                string? Get(string name) => item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                var (f, device, image) = (Get("framework"), Get("device") ?? "any", Get("image"));
                var framework = f is null ? null : FrameworkNames.Parse(f);
                if (framework is null || image is null || device is not ("cpu" or "cuda" or "any") || image.Length == 0)
                {
                    problems.Add(DetectProblem.Error(OverrideFile, 0, 0,
                        $"entry {index} needs \"framework\" (TorchSharp, ML.NET, TensorFlow.NET, ONNX Runtime or none), \"device\" (cpu, cuda or any) and a non-empty \"image\""));
                    continue;
                }
                overrides.Add(new Entry(framework.Value, device, image, new Evidence(OverrideFile, 0, $"entry {index}")));
            }
        }
        catch (JsonException e)
        {
            problems.Add(DetectProblem.Error(OverrideFile, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, $"is not valid JSON: {e.Message}"));
        }
        catch (IOException e)
        {
            problems.Add(DetectProblem.Error(OverrideFile, 0, 0, $"cannot be read: {e.Message}"));
        }
        return new ImageCatalogue(overrides);
    }
}

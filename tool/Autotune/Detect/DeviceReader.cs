using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autotune.Detect;

/// <summary>
/// Whether the model asks for a GPU and whether it still runs without one. CUDA: <c>DeviceType.CUDA</c>,
/// <c>"cuda"</c>/<c>"cuda:N"</c>, <c>.cuda()</c>, <c>cuda.is_available()</c>, ML.NET's <c>GpuDeviceId</c>,
/// ONNX Runtime's CUDA provider, a GPU package. CPU fallback: a check of <c>is_available()</c>,
/// a CPU device next to the CUDA one, ML.NET's <c>FallbackToCpu</c>, or the SDK's
/// <c>TorchDevice.Resolve</c>/<c>ForTrial</c>, which pick CUDA when present and the CPU otherwise.
/// </summary>
public static class DeviceReader
{
    public static DeviceFinding Read(IReadOnlyList<SourceFile> files, IReadOnlyList<FrameworkReader.PackageReference> packages)
    {
        var cuda = new List<Evidence>();
        var cpu = new List<Evidence>();
        var fallback = new List<Evidence>();
        foreach (var file in files)
        {
            foreach (var node in file.Root.DescendantNodes())
            {
                switch (node)
                {
                    case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } s:
                        var text = s.Token.ValueText.ToLowerInvariant();
                        if (text == "cuda" || text.StartsWith("cuda:", StringComparison.Ordinal) || text.StartsWith("/gpu:", StringComparison.Ordinal))
                            cuda.Add(file.At(s, $"device \"{s.Token.ValueText}\""));
                        else if (text is "cpu" or "/cpu:0") cpu.Add(file.At(s, $"device \"{s.Token.ValueText}\""));
                        break;
                    case MemberAccessExpressionSyntax m:
                        var name = m.Name.Identifier.ValueText;
                        var left = ConstantReader.LastName(m.Expression);
                        if (name == "CUDA" && left == "DeviceType") cuda.Add(file.At(m, "DeviceType.CUDA"));
                        else if (name == "CPU" && left == "DeviceType") cpu.Add(file.At(m, "DeviceType.CPU"));
                        else if (name == "is_available" && left == "cuda")
                        {
                            cuda.Add(file.At(m, "checks cuda.is_available()"));
                            fallback.Add(file.At(m, "checks cuda.is_available() before using the GPU"));
                        }
                        else if (name == "cuda" && m.Parent is InvocationExpressionSyntax && left != "torch") cuda.Add(file.At(m, "moves to the GPU with .cuda()"));
                        else if (name is "Resolve" or "ForTrial" && left == "TorchDevice")
                        {
                            cuda.Add(file.At(m, $"TorchDevice.{name} takes CUDA when available"));
                            fallback.Add(file.At(m, $"TorchDevice.{name} falls back to the CPU"));
                        }
                        else if (name is "AppendExecutionProvider_CUDA" or "MakeSessionOptionWithCudaProvider") cuda.Add(file.At(m, $"ONNX Runtime {name}"));
                        break;
                    case AssignmentExpressionSyntax a when a.Left is IdentifierNameSyntax or MemberAccessExpressionSyntax:
                        var target = ConstantReader.LastName(a.Left);
                        if (target == "GpuDeviceId" && a.Right is not LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NullLiteralExpression })
                            cuda.Add(file.At(a, "sets GpuDeviceId"));
                        else if (target == "FallbackToCpu" && a.Right.IsKind(SyntaxKind.TrueLiteralExpression))
                            fallback.Add(file.At(a, "FallbackToCpu = true"));
                        break;
                }
            }
        }
        foreach (var p in packages)
            if (FrameworkReader.ClassifyPackage(p.Id).Cuda) cuda.Add(new Evidence(p.File, p.Line, $"PackageReference {p.Id} is a GPU build"));
        var asksForCuda = cuda.Count > 0;
        // A CPU device in a program that also names CUDA is the other branch of a choice.
        if (asksForCuda && fallback.Count == 0 && cpu.Count > 0) fallback.Add(cpu[0] with { Why = cpu[0].Why + " next to CUDA: the CPU is the fallback" });
        var evidence = asksForCuda ? cuda.Take(3).Concat(fallback.Take(2)).ToList() : cpu.Take(3).ToList();
        return new DeviceFinding(asksForCuda, !asksForCuda || fallback.Count > 0, evidence);
    }
}

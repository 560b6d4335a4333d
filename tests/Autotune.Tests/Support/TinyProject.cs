using System.Diagnostics;
using Autotune.Train;

namespace Autotune.Tests.Support;

/// <summary>Console projects of one Program.cs, built by the real SDK: what the build tests build.</summary>
public static class TinyProject
{
    /// <summary>A program whose output depends on a constant (the "hyperparameter") and on the build's defines.</summary>
    public static string Squares(int side) => $$"""
        const int Side = {{side}};
        #if RELEASE
        Console.WriteLine($"{Side * Side} Release");
        #else
        Console.WriteLine($"{Side * Side} other");
        #endif
        """;

    public static ModelProject Create(string parent, string name, string program, string extra = "")
    {
        var folder = Path.Combine(parent, name);
        Directory.CreateDirectory(folder);
        // Its own Directory.Build.props and Directory.Packages.props keep the scratch folder's parents out.
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable></PropertyGroup>
              {extra}
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), program);
        return ModelProject.Open(folder);
    }

    /// <summary>What the built program prints; it must exit 0.</summary>
    public static string Run(BuiltProgram program)
    {
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { program.Assembly }, RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, text);
        return text;
    }
}

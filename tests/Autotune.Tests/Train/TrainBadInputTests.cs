using Autotune.Tests.Support;

namespace Autotune.Tests.Train;

/// <summary>Bad model folders and failing programs: the documented exit code and one line, never a stack trace.</summary>
[Trait("Category", "Integration")]
public sealed class TrainBadInputTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("autotune-bad-").FullName;

    [Fact]
    public async Task A_model_folder_that_does_not_exist_is_invalid_input()
    {
        var r = await Tool.RunAsync(["train", Path.Combine(scratch, "nowhere")]);
        r.ExitCode.ShouldBe(2);
        OneLine(r).ShouldContain("does not exist");
    }

    [Fact]
    public async Task A_folder_without_a_project_is_invalid_input()
    {
        var r = await Tool.RunAsync(["train", scratch]);
        r.ExitCode.ShouldBe(2);
        OneLine(r).ShouldContain("holds no .csproj");
    }

    [Fact]
    public async Task A_project_that_does_not_build_is_invalid_input_named_by_file_and_line()
    {
        var dir = Project("broken", "class Program { static void Main() { int x = } }");
        var r = await Tool.RunAsync(["train", dir]);
        r.ExitCode.ShouldBe(2, r.All);
        OneLine(r).ShouldContain("Program.cs:1:");
        OneLine(r).ShouldContain("does not build");
        r.Error.ShouldContain("error CS");
    }

    [Fact]
    public async Task A_program_that_exits_non_zero_is_a_model_failure_with_the_tail_of_its_log()
    {
        var dir = Project("exits", "System.Console.WriteLine(\"loading the data failed\"); return 3;");
        var r = await Tool.RunAsync(["train", dir]);
        r.ExitCode.ShouldBe(4, r.All);
        OneLine(r).ShouldContain("exited with code 3");
        r.Error.ShouldContain("loading the data failed");
        r.Error.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task A_program_that_throws_is_not_restarted_in_vain()
    {
        var dir = Project("throws", "throw new System.InvalidOperationException(\"no data\");");
        var r = await Tool.RunAsync(["train", dir, "--retries", "3"]);
        r.ExitCode.ShouldBe(4, r.All);
        OneLine(r).ShouldContain("start 1 of at most 4");
    }

    [Fact]
    public async Task An_unknown_option_value_is_invalid_input()
    {
        var r = await Tool.RunAsync(["train", scratch, "--device", "tpu"]);
        r.ExitCode.ShouldBe(2);
        OneLine(r).ShouldContain("--device 'tpu'");
    }

    /// <summary>The first line of stderr: the message; what follows is indented detail.</summary>
    private static string OneLine(Tool.Result r)
    {
        var first = r.Error.Split('\n')[0];
        first.ShouldStartWith("autotune: ");
        r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ShouldAllBe(l => l.StartsWith("  | "));
        return first;
    }

    private string Project(string name, string program)
    {
        var dir = Path.Combine(scratch, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, name + ".csproj"),
            "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>");
        File.WriteAllText(Path.Combine(dir, "Program.cs"), program);
        return dir;
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}

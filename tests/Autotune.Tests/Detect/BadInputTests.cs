using System.Text;

namespace Autotune.Tests.Detect;

/// <summary>Bad model code ends in exit 2 and one line per problem that says where and what to do; never a stack trace.</summary>
public sealed class BadInputTests
{
    private const string Uses = "var x = new object[] { B.A, B.D };\n";

    private static async Task<(int Code, string[] Lines)> Detect(Fixtures.TempFolder temp)
    {
        var (code, _, err) = await Fixtures.Run("detect", temp.Path);
        err.ShouldNotContain("   at ");
        err.ShouldNotContain("Exception");
        return (code, err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.Contains("warning:")).ToArray());
    }

    private static string Block(string members) => $"[Autotune.Hyperparameters]\npublic static class B\n{{\n{members}\n}}\n";

    [Fact]
    public async Task A_syntax_error_is_reported_with_file_line_and_column_and_the_rest_is_still_read()
    {
        using var temp = new Fixtures.TempFolder();
        temp.Write("Broken.cs", "class C\n{\n    void M() { int x = ; }\n}\n");
        temp.Write("Hyper.cs", Uses + Block("[Autotune.Range(1, 3)] public const int A = 2;\n[Autotune.Range(1, 3)] public const int D = 2;"));

        var (code, lines) = await Detect(temp);

        code.ShouldBe(2);
        lines.ShouldHaveSingleItem().ShouldStartWith("autotune: Broken.cs:3:24: syntax error CS1525");
    }

    [Fact]
    public async Task A_file_with_many_syntax_errors_shows_its_first_five_and_counts_the_rest_in_one_line()
    {
        using var temp = new Fixtures.TempFolder();
        temp.Write("Notes.cs", string.Concat(Enumerable.Range(1, 40).Select(i => $"this is line {i} of prose, not C#\n")));
        temp.Write("Hyper.cs", Uses + Block("[Autotune.Range(1, 3)] public const int A = 2;\n[Autotune.Range(1, 3)] public const int D = 2;"));

        var (code, lines) = await Detect(temp);

        code.ShouldBe(2);
        lines.Length.ShouldBe(6, string.Join('\n', lines));
        lines.Take(5).ShouldAllBe(l => l.StartsWith("autotune: Notes.cs:") && l.Contains("syntax error CS"));
        lines[5].ShouldMatch(@"^autotune: Notes\.cs:\d+:\d+: \.\.\. and \d+ more syntax error\(s\) from here on$");
    }

    [Fact]
    public async Task Syntax_errors_are_listed_for_ten_files_and_the_others_are_counted()
    {
        using var temp = new Fixtures.TempFolder();
        for (var i = 0; i < 13; i++) temp.Write($"Broken{i:D2}.cs", "class B { void M() { int x = ; } }\n");

        var (code, lines) = await Detect(temp);

        code.ShouldBe(2);
        lines.Count(l => l.Contains("syntax error CS")).ShouldBe(10);
        lines.ShouldContain("autotune: ... and 3 more file(s) with syntax errors");
    }

    [Fact]
    public async Task A_folder_without_cs_files_is_refused()
    {
        using var temp = new Fixtures.TempFolder();
        temp.Write("readme.md", "nothing here");

        var (code, lines) = await Detect(temp);

        code.ShouldBe(2);
        lines.ShouldHaveSingleItem().ShouldContain("holds no .cs files");
    }

    [Fact]
    public async Task A_missing_folder_is_refused()
    {
        var (code, _, err) = await Fixtures.Run("detect", "/nonexistent/model");

        code.ShouldBe(2);
        err.ShouldContain("does not exist");
    }

    [Fact]
    public async Task Two_blocks_are_refused_naming_both()
    {
        using var temp = new Fixtures.TempFolder();
        temp.Write("One.cs", Uses + Block("[Autotune.Range(1, 3)] public const int A = 2;\n[Autotune.Range(1, 3)] public const int D = 2;"));
        temp.Write("Two.cs", "[Autotune.Hyperparameters]\npublic static class Other { [Autotune.Range(1, 3)] public const int C = 1; }\n");

        var (code, lines) = await Detect(temp);

        code.ShouldBe(2);
        lines.ShouldHaveSingleItem().ShouldBe("autotune: Two.cs:1:1: a second [Hyperparameters] class 'Other' (the first is 'B' at One.cs:2): keep one block per model");
    }

    [Theory]
    [InlineData("[Autotune.Choice('a', 'b')] public const char A = 'a';", "char is not supported")]
    [InlineData("[Autotune.Range(1, 3)] public const decimal A = 2m;", "decimal is not supported")]
    [InlineData("[Autotune.Range(1, 3)] public static readonly int A = 2;", "may hold only const fields")]
    [InlineData("public const int A = 2;", "has no search space")]
    [InlineData("[Autotune.Range(1, 3)] public const int A = 7;", "its value 7 is outside its declared space [Autotune.Range(1, 3)]")]
    [InlineData("[Autotune.Choice(16, 32)] public const int A = 24;", "its value 24 is outside its declared space")]
    [InlineData("[Autotune.Choice(\"max\", \"avg\")] public const string A = \"min\";", "its value \"min\" is outside its declared space")]
    [InlineData("[Autotune.Range(2, 1, Step = 2)] public const int A = 2;", "is empty: min 2 is greater than max 1")]
    [InlineData("[Autotune.Range(0.5, 0.1)] public const double A = 0.2;", "is empty: min 0.5 is greater than max 0.1")]
    [InlineData("[Autotune.LogRange(0, 0.1)] public const double A = 0.01;", "is a log range and needs min > 0")]
    [InlineData("[Autotune.LogRange(-1, 10)] public const int A = 2;", "is a log range and needs min > 0")]
    [InlineData("[Autotune.Range(0.5, 2.5)] public const int A = 1;", "bounds must be integers for a int parameter")]
    [InlineData("[Autotune.Range(1, 3)] public const int A = 1 + 1;", "autotune reads and writes literal values only")]
    [InlineData("[Autotune.Range(1, 3)] public const string A = \"x\";", "a string parameter takes [Choice(...)]")]
    [InlineData("[Autotune.Range(1, 3)][Autotune.Choice(1, 2)] public const int A = 1;", "declares 2 search spaces")]
    public async Task A_block_that_cannot_be_searched_is_refused_with_one_line_at_the_parameter(string member, string message)
    {
        using var temp = new Fixtures.TempFolder();
        temp.Write("Hyper.cs", Uses + Block(member + "\n[Autotune.Range(1, 3)] public const int D = 2;"));

        var (code, lines) = await Detect(temp);

        code.ShouldBe(2);
        var line = lines.ShouldHaveSingleItem();
        line.ShouldStartWith("autotune: Hyper.cs:5:");
        line.ShouldContain(message);
    }

    [Fact]
    public async Task A_file_that_is_not_utf8_is_refused_with_its_line()
    {
        using var temp = new Fixtures.TempFolder();
        temp.Write("Good.cs", "class G { }\n");
        File.WriteAllBytes(Path.Combine(temp.Path, "Latin1.cs"), [.. Encoding.ASCII.GetBytes("// ok\n// caf"), 0xE9, (byte)'\n']);

        var (code, lines) = await Detect(temp);

        code.ShouldBe(2);
        lines.ShouldHaveSingleItem().ShouldBe("autotune: Latin1.cs:2: not UTF-8 (invalid byte 0xE9 at byte 12): save the file as UTF-8");
    }

    [Fact]
    public async Task A_very_large_file_is_refused_without_being_parsed()
    {
        using var temp = new Fixtures.TempFolder();
        temp.Write("Good.cs", "class G { }\n");
        temp.Write("Weights.cs", "// " + new string('x', 3 * 1024 * 1024));

        var (code, lines) = await Detect(temp);

        code.ShouldBe(2);
        lines.ShouldHaveSingleItem().ShouldContain("Weights.cs: file is 3.0 MB, more than the 2 MB");
    }

    [Fact]
    public async Task A_folder_with_more_folders_than_a_model_holds_is_refused_in_one_line()
    {
        using var temp = new Fixtures.TempFolder();
        temp.Write("Model.cs", "class M { }\n");
        for (var i = 0; i <= Autotune.Detect.ModelSources.MaxFolders; i++) Directory.CreateDirectory(Path.Combine(temp.Path, "data", $"class{i}"));

        var (code, lines) = await Detect(temp);

        code.ShouldBe(2);
        lines.ShouldHaveSingleItem().ShouldBe($"autotune: {temp.Path} holds more than 5000 folders (bin/, obj/, node_modules/ and dot-folders not counted): too large to be a model folder; pass the folder of the model project");
    }

    [Fact]
    public async Task A_folder_with_more_cs_files_than_a_model_holds_is_refused_before_any_is_read()
    {
        using var temp = new Fixtures.TempFolder();
        for (var i = 0; i <= Autotune.Detect.ModelSources.MaxSources; i++) File.WriteAllText(Path.Combine(temp.Path, $"M{i}.cs"), "");
        Files.PathKindTests.Fifo(temp.Path, "Pipe.cs");

        var (code, lines) = await Detect(temp);

        code.ShouldBe(2);
        lines.ShouldHaveSingleItem().ShouldContain("holds more than 5000 .cs files");
    }

    [Fact]
    public async Task A_fifo_named_like_a_source_file_is_reported_and_never_opened()
    {
        using var temp = new Fixtures.TempFolder();
        temp.Write("Model.cs", "class M { }\n");
        Files.PathKindTests.Fifo(temp.Path, "Pipe.cs");

        var (code, lines) = await Detect(temp);

        code.ShouldBe(2);
        lines.ShouldHaveSingleItem().ShouldBe("autotune: Pipe.cs: is a named pipe (FIFO), not a regular file: replace it with the source file itself");
    }

    [Fact]
    public async Task A_fifo_named_like_a_project_file_is_reported_and_never_opened()
    {
        using var temp = new Fixtures.TempFolder();
        temp.Write("Model.cs", "class M { }\n");
        Files.PathKindTests.Fifo(temp.Path, "Model.csproj");

        var (code, lines) = await Detect(temp);

        code.ShouldBe(2);
        lines.ShouldHaveSingleItem().ShouldBe("autotune: Model.csproj: is a named pipe (FIFO), not a regular file: replace it with the project file itself");
    }

    [Theory]
    [InlineData("detect", "/proc", "autotune: /proc is on a proc file system, which holds kernel state, not files: pass the folder of the model project")]
    [InlineData("init", "/proc", "autotune: /proc is on a proc file system")]
    public async Task A_kernel_file_system_is_refused_at_once(string command, string folder, string line)
    {
        var (code, _, err) = await Fixtures.Run(command, folder);

        code.ShouldBe(2);
        err.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldHaveSingleItem().ShouldStartWith(line);
    }

    [Theory]
    [InlineData("detect")]
    [InlineData("init")]
    public async Task The_root_folder_is_refused_in_seconds_not_walked_to_the_end(string command)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var (code, _, err) = await Fixtures.Run(command, "/");

        code.ShouldBe(2, err);
        err.ShouldNotContain("   at ");
        err.ShouldNotContain("internal error");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30)); // /proc is not entered, and the walk stops at the first bound it passes
    }

    [Fact]
    public async Task A_symlink_loop_is_reported_once_instead_of_walked_forever()
    {
        using var temp = new Fixtures.TempFolder();
        temp.Write("src/Model.cs", "class M { }\n");
        Directory.CreateSymbolicLink(Path.Combine(temp.Path, "src", "again"), temp.Path);

        var (code, lines) = await Detect(temp);

        code.ShouldBe(2);
        lines.ShouldHaveSingleItem().ShouldContain("src/again: symbolic link loop");
    }

    [Fact]
    public async Task A_file_link_to_itself_is_reported()
    {
        using var temp = new Fixtures.TempFolder();
        temp.Write("Model.cs", "class M { }\n");
        File.CreateSymbolicLink(Path.Combine(temp.Path, "Self.cs"), Path.Combine(temp.Path, "Self.cs"));

        var (code, lines) = await Detect(temp);

        code.ShouldBe(2);
        lines.ShouldHaveSingleItem().ShouldContain("Self.cs: symbolic link to nothing (or a loop of links)");
    }

    [Fact]
    public async Task Every_problem_of_a_run_is_reported_not_just_the_first()
    {
        using var temp = new Fixtures.TempFolder();
        temp.Write("Broken.cs", "class C { void M() { int x = ; } }\n");
        temp.Write("Hyper.cs", Uses + Block("[Autotune.Range(1, 3)] public const int A = 9;\n[Autotune.LogRange(0, 1)] public const double D = 0.5;"));

        var (code, lines) = await Detect(temp);

        code.ShouldBe(2);
        lines.Length.ShouldBe(3);
    }
}

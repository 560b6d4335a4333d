using Autotune.Detect;

namespace Autotune.Tests.Detect;

/// <summary>Detect finds the .csv (and .jsonl) files a program writes by a relative path: where a program without the SDK logs its epochs.</summary>
public sealed class WrittenFileTests
{
    private static IReadOnlyList<WrittenFile> Read(params string[] sources) =>
        WrittenFileReader.Read(sources.Select((text, i) => SourceFile.Parse($"File{i}.cs", $"/model/File{i}.cs", text)).ToList());

    [Theory]
    [InlineData("File.AppendAllText(\"metrics.csv\", row);")]
    [InlineData("File.AppendAllLines(\"metrics.csv\", [row]);")]
    [InlineData("File.WriteAllText(\"metrics.csv\", row);")]
    [InlineData("File.WriteAllLines(\"metrics.csv\", [row]);")]
    [InlineData("await File.AppendAllTextAsync(\"metrics.csv\", row);")]
    [InlineData("using var w = File.AppendText(\"metrics.csv\");")]
    [InlineData("using var w = File.CreateText(\"metrics.csv\");")]
    [InlineData("using var w = new StreamWriter(\"metrics.csv\", append: true);")]
    [InlineData("using StreamWriter w = new(\"metrics.csv\");")]
    [InlineData("using var s = File.Create(\"metrics.csv\");")]
    [InlineData("using var s = File.Open(\"metrics.csv\", FileMode.Append);")]
    [InlineData("using var s = File.Open(\"metrics.csv\", FileMode.OpenOrCreate, FileAccess.Write);")]
    [InlineData("using var s = new FileStream(\"metrics.csv\", FileMode.Create, FileAccess.Write);")]
    [InlineData("using var s = System.IO.File.Open(\"metrics.csv\", new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write });")]
    public void A_literal_path_handed_to_a_method_that_writes_is_found_with_its_line(string write)
    {
        var found = Read($"var row = \"1,0.5\";\n{write}\n");

        found.ShouldHaveSingleItem().Path.ShouldBe("metrics.csv");
        found[0].Evidence.File.ShouldBe("File0.cs");
        found[0].Evidence.Line.ShouldBe(2);
    }

    [Theory]
    [InlineData("var path = \"metrics.csv\";\nFile.AppendAllText(path, \"x\");")]
    [InlineData("const string Log = \"metrics.csv\";\nFile.AppendAllText(Log, \"x\");")]
    [InlineData("File.AppendAllText(Settings.Log, \"x\");\nstatic class Settings { public static readonly string Log = \"metrics.csv\"; }")]
    [InlineData("File.AppendAllText(Settings.Log, \"x\");\nstatic class Settings { public static string Log => \"metrics.csv\"; }")]
    [InlineData("File.AppendAllText(Path.Combine(AppContext.BaseDirectory, \"metrics.csv\"), \"x\");")]
    [InlineData("File.AppendAllText(Path.Combine(Directory.GetCurrentDirectory(), \"metrics.csv\"), \"x\");")]
    [InlineData("var file = \"metrics.csv\";\nvar full = Path.Combine(Environment.CurrentDirectory, file);\nusing var w = new StreamWriter(full);")]
    public void A_literal_reached_through_a_variable_const_field_or_path_combine_is_found(string code)
    {
        Read(code).ShouldHaveSingleItem().Path.ShouldBe("metrics.csv");
    }

    [Fact]
    public void Path_combine_of_literals_gives_the_relative_path_in_a_subfolder()
    {
        Read("var dir = \"logs\";\nFile.AppendAllText(Path.Combine(dir, \"run\", \"history.csv\"), \"x\");").ShouldHaveSingleItem().Path.ShouldBe("logs/run/history.csv");
        Read("File.AppendAllText(\"./logs\\\\train.jsonl\", \"{}\");").ShouldHaveSingleItem().Path.ShouldBe("logs/train.jsonl");
    }

    [Fact]
    public void A_file_in_another_file_of_the_model_is_found_once_at_its_first_write()
    {
        var found = Read(
            "Logger.Start();\nfor (var e = 0; e < 3; e++) Logger.Row(e);",
            "static class Logger\n{\n    const string File = \"history.csv\";\n    public static void Start() => System.IO.File.WriteAllText(File, \"epoch,loss\\n\");\n    public static void Row(int e) => System.IO.File.AppendAllText(File, $\"{e},0.1\\n\");\n}");

        found.ShouldHaveSingleItem().Path.ShouldBe("history.csv");
        found[0].Evidence.ShouldBe(new Evidence("File1.cs", 4, "File.WriteAllText writes \"history.csv\""));
    }

    [Theory]
    [InlineData("var rows = File.ReadAllLines(\"data.csv\");")]
    [InlineData("using var r = new StreamReader(\"data.csv\");")]
    [InlineData("using var s = File.Open(\"data.csv\", FileMode.Open);")]
    [InlineData("using var s = new FileStream(\"data.csv\", FileMode.Open, FileAccess.Read);")]
    [InlineData("var exists = File.Exists(\"metrics.csv\");")]
    [InlineData("File.AppendAllText(\"/tmp/metrics.csv\", \"x\");")]
    [InlineData("File.AppendAllText(\"C:\\\\runs\\\\metrics.csv\", \"x\");")]
    [InlineData("File.AppendAllText(\"../metrics.csv\", \"x\");")]
    [InlineData("File.AppendAllText(Path.Combine(\"/var/log\", \"metrics.csv\"), \"x\");")]
    [InlineData("File.AppendAllText(Path.Combine(args[0], \"metrics.csv\"), \"x\");")]
    [InlineData("File.AppendAllText(Environment.GetEnvironmentVariable(\"LOG\")!, \"x\");")]
    [InlineData("File.AppendAllText(\"metrics.txt\", \"x\");")]
    [InlineData("var p = \"a.csv\";\nif (args.Length > 0) { var q = 1; }\nvoid Other() { var p = \"b.csv\"; }\nFile.AppendAllText(p, \"x\");")]
    public void A_file_only_read_an_absolute_or_outside_path_or_one_not_known_without_running_is_not_taken(string code)
    {
        Read(code).ShouldBeEmpty();
    }

    [Fact]
    public void The_profile_of_a_plain_program_records_the_csv_it_logs_to()
    {
        var profile = ModelDetector.Detect(Path.Combine(Support.Tool.RepositoryRoot, "tests", "programs", "plain-csv-log"));

        profile.WrittenFiles.ShouldHaveSingleItem().Path.ShouldBe("metrics.csv");
        profile.WrittenFiles[0].Evidence.File.ShouldBe("Program.cs");
    }
}

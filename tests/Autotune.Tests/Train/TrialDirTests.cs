using Autotune.Tests.BadInput;
using Autotune.Tests.Support;

namespace Autotune.Tests.Train;

/// <summary>`train --trial-dir` writes only into a new or empty folder, or resumes its own trial's: never over another's results.</summary>
[Trait("Category", "Integration")]
public sealed class TrialDirTests : IDisposable
{
    private readonly ToyModel toy = new();
    private readonly string scratch = Directory.CreateTempSubdirectory("autotune-trialdir-").FullName;

    private Task<Tool.Result> Train(string trialDir, params string[] more) =>
        Tool.RunAsync(["train", toy.Folder, "--trial-dir", trialDir, "--epochs", "2", .. more], timeout: TimeSpan.FromMinutes(4));

    private static Dictionary<string, string> Contents(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllText);

    [Fact]
    public async Task A_trial_dir_that_is_a_file_is_invalid_input_in_one_line()
    {
        var file = Path.Combine(scratch, "notes.txt");
        await File.WriteAllTextAsync(file, "mine");

        var r = await Train(file);

        BadInputCorpusTests.Assert(r, 2, "is a file: pass a folder");
        (await File.ReadAllTextAsync(file)).ShouldBe("mine");
    }

    [Fact]
    public async Task A_folder_autotune_did_not_make_is_refused_and_left_as_it_was()
    {
        var folder = Directory.CreateDirectory(Path.Combine(scratch, "home")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "thesis.tex"), "years of work");

        var r = await Train(folder);

        BadInputCorpusTests.Assert(r, 2, "holds thesis.tex, and autotune did not make it");
        Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).ShouldBe(["thesis.tex"]);
    }

    [Fact]
    public async Task Another_studys_trial_folder_is_refused_and_keeps_its_results()
    {
        var run = await Tool.RunAsync(["run", toy.Folder, "--target", "loss<0.0001", "--max-trials", "1", "--study", "Other", "--no-apply"],
            timeout: TimeSpan.FromMinutes(4));
        run.ExitCode.ShouldBe(3, run.All);
        var theirs = StudyFolders.TrialFolders(toy.Folder, "Other").ShouldHaveSingleItem();
        var before = Contents(theirs);
        before.Keys.ShouldContain("trial.json");

        var asTrial = await Train(theirs, "--values", "Layers=3", "--trial-number", "1", "--study", "Toy");
        var plain = await Train(theirs);

        BadInputCorpusTests.Assert(asTrial, 2, "is the folder of trial 1 of study 'Other'");
        asTrial.Error.ShouldContain("pass a new or empty folder");
        BadInputCorpusTests.Assert(plain, 2, "is the folder of trial 1 of study 'Other'");
        Contents(theirs).ShouldBe(before);
    }

    [Fact]
    public async Task An_empty_folder_becomes_the_trials_folder_and_the_same_trial_resumes_there()
    {
        var folder = Directory.CreateDirectory(Path.Combine(scratch, "trial-2")).FullName;
        string[] trial2 = ["--values", "Layers=3,Filters=32", "--trial-number", "2"];

        var first = await Train(folder, trial2);
        var again = await Train(folder, [.. trial2, "--study", "Toy"]);
        var otherValues = await Train(folder, "--values", "Layers=4", "--trial-number", "2");

        first.ExitCode.ShouldBe(0, first.All);
        again.ExitCode.ShouldBe(0, again.All);
        again.Output.ShouldContain("the trial resumes there");
        BadInputCorpusTests.Assert(otherValues, 2, "is the folder of trial 2 of study 'Toy' of project Toy (");
        (await File.ReadAllTextAsync(Path.Combine(folder, "trial.json"))).ShouldContain("\"study\": \"Toy\""); // what the second train knew is kept
    }

    public void Dispose()
    {
        toy.Dispose();
        Directory.Delete(scratch, recursive: true);
    }
}

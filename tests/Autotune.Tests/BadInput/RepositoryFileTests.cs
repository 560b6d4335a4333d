using Autotune.Cli;
using Autotune.Detect;

namespace Autotune.Tests.BadInput;

/// <summary>
/// Files read from a model repository must lie inside it once every link is followed. A repository holds
/// links, so the check follows them as the kernel does, not as a path's text reads.
/// </summary>
public sealed class RepositoryFileTests : IDisposable
{
    private readonly string outer = Directory.CreateTempSubdirectory("autotune-repofile-").FullName;
    private string Model => Directory.CreateDirectory(Path.Combine(outer, "model")).FullName;
    private string Elsewhere => Directory.CreateDirectory(Path.Combine(outer, "elsewhere", "deep")).FullName;

    public void Dispose()
    {
        try { Directory.Delete(outer, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void A_link_to_a_host_file_is_outside_and_refused_in_one_line()
    {
        File.CreateSymbolicLink(Path.Combine(Model, "report.txt.sbn"), "/etc/passwd");

        RepositoryFile.Outside(Model, Path.Combine(Model, "report.txt.sbn")).ShouldBe("/etc/passwd");
        var e = Should.Throw<AutotuneException>(() => RepositoryFile.ReadAllText(Model, Path.Combine(Model, "report.txt.sbn")));
        e.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        e.Message.ShouldBe($"{Model}/report.txt.sbn leads to /etc/passwd, outside the model folder {Model}: autotune reads only files inside it; replace the symbolic link with the file itself");
    }

    [Fact]
    public void A_plain_file_and_a_link_that_stays_inside_are_read()
    {
        File.WriteAllText(Path.Combine(Model, "autotune.json"), "{}");
        Directory.CreateDirectory(Path.Combine(Model, "shared"));
        File.WriteAllText(Path.Combine(Model, "shared", "a.sbn"), "a");
        File.CreateSymbolicLink(Path.Combine(Model, "b.sbn"), "shared/a.sbn");

        RepositoryFile.Outside(Model, Path.Combine(Model, "autotune.json")).ShouldBeNull();
        RepositoryFile.ReadAllText(Model, Path.Combine(Model, "b.sbn")).ShouldBe("a");
    }

    [Fact]
    public void A_dotdot_after_a_link_climbs_from_where_the_link_leads_not_from_where_it_sits()
    {
        // As text, model/b -> a/../secret.txt reads model/secret.txt; the kernel reads elsewhere/secret.txt.
        File.WriteAllText(Path.Combine(Elsewhere, "..", "secret.txt"), "secret");
        Directory.CreateSymbolicLink(Path.Combine(Model, "a"), Elsewhere);
        File.CreateSymbolicLink(Path.Combine(Model, "b"), "a/../secret.txt");

        File.ReadAllText(Path.Combine(Model, "b")).ShouldBe("secret");
        RepositoryFile.Outside(Model, Path.Combine(Model, "b")).ShouldBe(Path.Combine(outer, "elsewhere", "secret.txt"));
    }

    [Fact]
    public void A_folder_link_on_the_way_that_leaves_the_model_makes_its_files_outside()
    {
        File.WriteAllText(Path.Combine(Elsewhere, "report.html.sbn"), "x");
        Directory.CreateDirectory(Path.Combine(Model, "templates"));
        Directory.CreateSymbolicLink(Path.Combine(Model, "templates", "report"), Elsewhere);

        RepositoryFile.Outside(Model, Path.Combine(Model, "templates", "report", "report.html.sbn")).ShouldBe(Path.Combine(Elsewhere, "report.html.sbn"));
    }

    [Fact]
    public void A_model_folder_reached_through_a_link_keeps_its_own_files_inside()
    {
        File.WriteAllText(Path.Combine(Model, "autotune.json"), "{}");
        var link = Path.Combine(outer, "via");
        Directory.CreateSymbolicLink(link, Model);

        RepositoryFile.Outside(link, Path.Combine(link, "autotune.json")).ShouldBeNull();
        RepositoryFile.Outside(Model, Path.Combine(link, "autotune.json")).ShouldBeNull();
    }
}

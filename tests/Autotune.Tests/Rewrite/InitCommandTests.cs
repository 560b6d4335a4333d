using Autotune.Cli;
using Autotune.Tests.Detect;

namespace Autotune.Tests.Rewrite;

public sealed class InitCommandTests
{
    private static (Fixtures.TempFolder Temp, string Model) Copy(string fixture)
    {
        var temp = new Fixtures.TempFolder();
        return (temp, temp.CopyFrom(InitFixtures.Model(fixture)));
    }

    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => f, f => Convert.ToHexString(File.ReadAllBytes(f)));

    [Fact]
    public async Task Dry_run_prints_the_search_space_and_the_diff_and_writes_nothing()
    {
        var (temp, model) = Copy("torch-mlp-plain");
        using var _ = temp;
        var before = Snapshot(model);

        var (code, output, error) = await Fixtures.Run("init", model, "--dry-run");

        code.ShouldBe(0, error);
        output.ShouldContain("proposed search space");
        output.ShouldContain("LearningRate");
        output.ShouldContain("--- /dev/null\n+++ b/Hyper.cs\n@@ -0,0 +1,");
        output.ShouldContain("\n-var optimizer = optim.Adam(model.parameters(), lr: 0.01);\n-var batchSize = 128;\n");
        output.ShouldContain("\n+var optimizer = optim.Adam(model.parameters(), lr: Hyper.LearningRate);\n+var batchSize = Hyper.BatchSize;\n");
        Snapshot(model).ShouldBe(before);
    }

    [Fact]
    public async Task Yes_writes_the_block_and_its_uses_and_detect_then_reads_them()
    {
        var (temp, model) = Copy("torch-mlp-plain");
        using var _ = temp;

        var (code, output, error) = await Fixtures.Run("init", model, "--yes");

        code.ShouldBe(0, error);
        output.ShouldContain("wrote Hyper.cs (6 parameter(s)) and 1 edited file(s)");
        var (detect, _, detectError) = await Fixtures.Run("detect", model);
        detect.ShouldBe(0, detectError);
        Autotune.Detect.ModelDetector.Detect(model).Block!.Parameters.Count.ShouldBe(6);
    }

    [Fact]
    public void Without_yes_on_a_stdin_that_is_not_a_terminal_it_prints_the_diff_and_exits_2_with_a_hint()
    {
        var (temp, model) = Copy("torch-mlp-plain");
        using var _ = temp;
        var before = Snapshot(model);
        var output = new StringWriter();

        var e = Should.Throw<AutotuneException>(() => InitCommand.Run(new InitCommand.Options(model, Yes: false, DryRun: false, Interactive: false), output, new StringReader("y\n")));

        e.ExitCode.ShouldBe(2);
        e.Message.ShouldContain("pass --yes");
        e.Message.ShouldNotContain("\n");
        output.ToString().ShouldContain("+++ b/Hyper.cs");
        Snapshot(model).ShouldBe(before);
    }

    [Theory]
    [InlineData("y\n", true)]
    [InlineData("yes\n", true)]
    [InlineData("n\n", false)]
    [InlineData("\n", false)]
    [InlineData("", false)]
    public void On_a_terminal_it_asks_and_writes_only_after_y(string answer, bool writes)
    {
        var (temp, model) = Copy("torch-mlp-plain");
        using var _ = temp;
        var output = new StringWriter();

        var code = InitCommand.Run(new InitCommand.Options(model, Yes: false, DryRun: false, Interactive: true), output, new StringReader(answer));

        code.ShouldBe(0);
        output.ToString().ShouldContain("Write these changes? [y/N] ");
        File.Exists(Path.Combine(model, "Hyper.cs")).ShouldBe(writes);
    }

    [Fact]
    public async Task A_model_that_already_has_a_block_is_refused_with_exit_2_and_one_line()
    {
        var (code, _, error) = await Fixtures.Run("init", Fixtures.Model("torch-mlp-loop"), "--dry-run");

        code.ShouldBe(2);
        error.Trim().ShouldContain("already has a [Hyperparameters] block 'Mlp': change its values with `autotune apply`");
        error.Trim().ShouldNotContain("\n");
    }

    [Fact]
    public async Task A_model_with_nothing_to_lift_is_refused_with_exit_2_and_one_line()
    {
        var (code, _, error) = await Fixtures.Run("init", InitFixtures.Model("nothing-to-lift"), "--yes");

        code.ShouldBe(2);
        error.Trim().ShouldContain("found no literal init can lift safely");
        error.Trim().ShouldNotContain("\n");
    }
}

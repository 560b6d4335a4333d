using System.Reflection;
using System.Text.Json;
using Autotune.Cli;
using Autotune.Tests.Support;

namespace Autotune.Tests.Cli;

/// <summary>The one table of exit codes is the one the README documents and the Jenkins steps map: none can drift.</summary>
public sealed class ExitCodesTests
{
    private static IEnumerable<int> Codes => typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (int)f.GetRawConstantValue()!);

    [Fact]
    public void Every_exit_code_of_the_tool_is_in_the_readme_and_in_the_jenkins_steps_table()
    {
        var readme = File.ReadAllText(Path.Combine(Tool.RepositoryRoot, "README.md"));
        var table = readme[readme.IndexOf("Exit codes, the same for every command", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n\n", StringComparison.Ordinal)];
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Tool.RepositoryRoot, "resources", "autotune", "exit-codes.json")));

        Codes.ShouldContain(ExitCodes.Cancelled);
        foreach (var code in Codes)
        {
            System.Text.RegularExpressions.Regex.IsMatch(table, $@"(?<![0-9.]){code} [a-z]").ShouldBeTrue($"README.md's exit codes lack {code}");
            json.RootElement.TryGetProperty(code.ToString(), out _).ShouldBeTrue($"exit-codes.json lacks {code}");
        }
        json.RootElement.EnumerateObject().Select(p => int.Parse(p.Name)).ShouldBeSubsetOf(Codes);
    }
}

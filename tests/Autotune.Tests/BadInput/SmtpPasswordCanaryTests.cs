using System.Text;
using Autotune.Tests.Notify;
using Autotune.Tests.Support;

namespace Autotune.Tests.BadInput;

/// <summary>
/// `run --notify` with a unique SMTP password: whether the mail goes through or the server is down, the
/// password appears nowhere: not in stdout or stderr, the report, the study store, the trial logs, nor the
/// model program's environment (the toy program prints its environment into its trial log).
/// </summary>
[Trait("Category", "Integration")]
public sealed class SmtpPasswordCanaryTests : IDisposable
{
    private readonly string canary = "CANARY-" + Guid.NewGuid().ToString("N");
    private readonly string scratch = Directory.CreateTempSubdirectory("autotune-canary-").FullName;

    private const string PrintsItsEnvironment = """
        using Autotune;
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables()) Console.WriteLine($"env {e.Key}={e.Value}");
        var trial = Trial.Current;
        trial.ReportEpoch(1, new Dictionary<string, double> { ["loss"] = 1.0 / (Hyper.Layers + Hyper.Filters) });
        trial.Checkpoints.Save(1, f => File.WriteAllText(Path.Combine(f, "w"), "x"));
        return 0;

        """;

    /// <summary>Runs one trial with --notify; <paramref name="worker"/> false runs it as a process (--no-worker).</summary>
    private async Task<(Tool.Result Result, ToyModel Model)> RunWithNotify(int port, bool worker)
    {
        var model = new ToyModel(program: PrintsItsEnvironment);
        var env = new Dictionary<string, string>
        {
            ["AUTOTUNE_SMTP_HOST"] = "127.0.0.1", ["AUTOTUNE_SMTP_PORT"] = port.ToString(),
            ["AUTOTUNE_SMTP_USER"] = SmtpTestServer.User, ["AUTOTUNE_SMTP_PASSWORD"] = canary,
        };
        var r = await Tool.RunAsync(["run", model.Folder, "--target", "loss<1", "--max-trials", "1", "--no-apply",
            "--notify", "dev@example.com", "--smtp-tls", "none", "--smtp-timeout", "10", .. worker ? Array.Empty<string>() : ["--no-worker"]],
            env, timeout: TimeSpan.FromMinutes(3));
        // Both ways a program is started must leave the secrets out, so each test pins the way it took.
        var log = File.ReadAllText(Directory.GetFiles(model.Folder, "trial.log", SearchOption.AllDirectories).Single());
        if (worker) log.ShouldContain("@@autotune worker {\"run\"", customMessage: "this test covers the trial worker");
        else log.ShouldNotContain("@@autotune worker", customMessage: "this test covers a program run as a process");
        return (r, model);
    }

    private void ShouldNotLeak(Tool.Result r, ToyModel model, SmtpTestServer? server)
    {
        var forms = new[] { canary, Convert.ToBase64String(Encoding.UTF8.GetBytes(canary)),
            Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + SmtpTestServer.User + "\0" + canary)) };
        var places = new List<(string Where, byte[] Bytes)> { ("stdout and stderr", Encoding.UTF8.GetBytes(r.All)) };
        places.AddRange(Directory.GetFiles(model.Folder, "*", SearchOption.AllDirectories).Select(f => (f, File.ReadAllBytes(f))));
        if (server is not null) places.AddRange(Directory.GetFiles(server.Folder).Select(f => (f, File.ReadAllBytes(f))));
        Directory.GetFiles(model.Folder, "trial.log", SearchOption.AllDirectories).ShouldNotBeEmpty("the trial log is one place the canary must be checked in");
        File.ReadAllText(Directory.GetFiles(model.Folder, "trial.log", SearchOption.AllDirectories)[0]).ShouldContain("env AUTOTUNE_TRIAL_DIR=");
        foreach (var (where, bytes) in places)
            foreach (var form in forms)
                bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(form)).ShouldBe(-1, $"the SMTP password leaked into {where}");
    }

    [Fact]
    public async Task The_password_of_a_mail_that_was_sent_appears_nowhere_with_the_program_in_the_trial_worker()
    {
        using var server = SmtpTestServer.Start(scratch, password: canary);

        var (r, model) = await RunWithNotify(server.Port, worker: true);
        using var _ = model;

        r.ExitCode.ShouldBe(0, r.All);
        server.Messages().ShouldHaveSingleItem();
        ShouldNotLeak(r, model, server);
    }

    [Fact]
    public async Task The_password_of_a_mail_that_failed_appears_nowhere_with_the_program_run_as_a_process()
    {
        var (r, model) = await RunWithNotify(SmtpTestServer.FreePort(), worker: false);
        using var _ = model;

        r.ExitCode.ShouldBe(5, r.All);
        r.Error.Trim().Split('\n').Length.ShouldBe(1, r.Error);
        ShouldNotLeak(r, model, null);
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}

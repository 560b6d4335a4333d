using System.Diagnostics;
using Autotune.Tests.BadInput;
using Autotune.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Autotune.Tests.Tune;

/// <summary>
/// One writer per study, with real `autotune` processes on a toy model: a second controller never runs the
/// first one's trials, it waits a bounded time and exits 5 naming the holder; a killed controller's lock is taken over.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OneWriterTests
{
    private static string[] Run(ToyModel m) => ["run", m.Folder, "--target", "loss<0.0001", "--max-trials", "1", "--no-apply", "--seed", "3"];

    /// <summary>The toy's program, held in its first epoch while a file named "hold" exists in the model folder.</summary>
    private static ToyModel HeldToy()
    {
        var m = new ToyModel();
        m.Write("Program.cs", $$"""
            using Autotune;
            var trial = Trial.Current;
            File.WriteAllText(@"{{m.Folder}}/started", "");
            while (File.Exists(@"{{m.Folder}}/hold")) Thread.Sleep(100);
            var epochs = trial.Epochs(declared: 2);
            for (var e = 1; e <= epochs && !trial.StopRequested; e++)
                trial.ReportEpoch(e, new Dictionary<string, double> { ["loss"] = 1.0 / (e * Hyper.Layers + Hyper.Filters) });
            return 0;

            """);
        m.Write("hold", "");
        return m;
    }

    private static async Task WaitFor(string file, Process controller)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(file))
        {
            controller.HasExited.ShouldBeFalse($"the first controller ended (exit {(controller.HasExited ? controller.ExitCode : 0)}) before its program started");
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(3), "the first controller's program never started");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task A_second_run_waits_then_exits_5_naming_the_running_controller_and_a_run_after_that_controller_is_killed_takes_over()
    {
        using var toy = HeldToy();
        using var first = Tool.Start(Run(toy));
        try
        {
            await WaitFor(Path.Combine(toy.Folder, "started"), first);

            var clock = Stopwatch.StartNew();
            var second = await Tool.RunAsync(Run(toy));
            var waited = clock.Elapsed;
            // ask and apply write the study too: the same refusal, here after a shorter wait.
            var short1 = new Dictionary<string, string> { ["AUTOTUNE_LOCK_WAIT"] = "1" };
            var ask = await Tool.RunAsync(["ask", toy.Folder, "--target", "loss<0.0001", "--json"], short1);
            var apply = await Tool.RunAsync(["apply", toy.Folder, "--best"], short1);

            BadInputCorpusTests.Assert(second, 5, $"is in use by `autotune run` (pid {first.Id} on {Environment.MachineName}, since ");
            second.Error.ShouldContain("wait for it to end, or stop it");
            second.Output.ShouldContain("waiting up to 10 s");
            waited.ShouldBeGreaterThan(TimeSpan.FromSeconds(9.5));
            waited.ShouldBeLessThan(TimeSpan.FromSeconds(40));
            second.Output.ShouldNotContain("[run] trial 1"); // it never touched the first one's trial
            BadInputCorpusTests.Assert(ask, 5, $"pid {first.Id}");
            ask.Output.ShouldBeEmpty(); // --json stays JSON: the wait is said on stderr
            BadInputCorpusTests.Assert(apply, 5, $"pid {first.Id}");
            first.HasExited.ShouldBeFalse();

            // A crash of the controller alone: its program is left behind, held, and the OS drops the lock with the process.
            first.Kill();
            await first.WaitForExitAsync();
            File.Delete(Path.Combine(toy.Folder, "hold"));
            var third = await Tool.RunAsync(Run(toy), timeout: TimeSpan.FromMinutes(4));

            third.ExitCode.ShouldBeOneOf([0, 3], third.All);
            third.Output.ShouldContain($"[run] the study was left by `autotune run` (pid {first.Id} on {Environment.MachineName}");
            third.Output.ShouldContain("taking over");
            third.Output.ShouldContain("[run] trial 1 (resumed)");
            File.Exists(Path.Combine(toy.StorePath + ".holder")).ShouldBeFalse(); // released at its end
        }
        finally
        {
            File.Delete(Path.Combine(toy.Folder, "hold"));
            if (!first.HasExited) first.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task A_run_on_a_store_another_process_keeps_locked_exits_5_within_its_wait_naming_that_process()
    {
        using var toy = new ToyModel();
        toy.CreateStudy();
        using var holder = new SqliteConnection($"Data Source={toy.StorePath};Pooling=false");
        holder.Open();
        using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();
        }

        var clock = Stopwatch.StartNew();
        var r = await Tool.RunAsync(Run(toy), new Dictionary<string, string> { ["AUTOTUNE_LOCK_WAIT"] = "2" });

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(25)); // not SQLite's 30 s and more
        BadInputCorpusTests.Assert(r, 5, "is locked by another process");
        if (OperatingSystem.IsLinux()) r.Error.ShouldContain($"pid {Environment.ProcessId} (");
        r.Error.ShouldContain("still after 2 s");
    }
}

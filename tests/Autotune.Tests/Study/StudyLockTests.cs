using System.Diagnostics;
using Autotune.Cli;
using Autotune.Study;

namespace Autotune.Tests.Study;

/// <summary>The study lock in one process: two opens of the lock file conflict as two processes' do (flock is per open).</summary>
public sealed class StudyLockTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autotune-lock-").FullName;
    private string StorePath => Path.Combine(folder, "study.db");

    [Fact]
    public void A_second_writer_waits_its_time_then_is_refused_with_exit_5_naming_the_holder_its_pid_host_and_start()
    {
        using var first = StudyLock.Acquire(StorePath, "run", TimeSpan.Zero);
        var heard = new List<string>();
        var clock = Stopwatch.StartNew();

        var refused = Should.Throw<AutotuneException>(() => StudyLock.Acquire(StorePath, "ask", TimeSpan.FromSeconds(1), heard.Add));

        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        refused.ExitCode.ShouldBe(ExitCodes.Infrastructure);
        refused.Message.ShouldContain($"`autotune run` (pid {Environment.ProcessId} on {Environment.MachineName}, since {DateTime.UtcNow:yyyy-MM-dd}");
        refused.Message.ShouldContain("wait for it to end, or stop it");
        refused.Message.ShouldNotContain("\n");
        heard.ShouldHaveSingleItem().ShouldContain("waiting up to 1 s");
    }

    [Fact]
    public void A_store_found_in_use_is_refused_again_at_once_and_another_store_is_still_taken()
    {
        using var run = StudyLock.Acquire(StorePath, "run", TimeSpan.Zero);
        var locks = new StudyLocks("monitor", TimeSpan.FromSeconds(1));

        Should.Throw<AutotuneException>(() => locks.Take(StorePath)).ExitCode.ShouldBe(ExitCodes.Infrastructure);
        var clock = Stopwatch.StartNew();
        Should.Throw<AutotuneException>(() => locks.Take(StorePath)).Message.ShouldContain("is in use by `autotune run`");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(0.5)); // no second wait for the same holder

        using var other = locks.Take(Path.Combine(folder, "other", "study.db"));
        LockHolder.Read(StudyLock.HolderFile(Path.Combine(folder, "other", "study.db"))).ShouldNotBeNull().Command.ShouldBe("monitor");
    }

    [Fact]
    public void A_writer_that_waits_gets_the_lock_as_soon_as_the_holder_releases_it()
    {
        var first = StudyLock.Acquire(StorePath, "run", TimeSpan.Zero);
        var release = Task.Run(async () => { await Task.Delay(300); first.Dispose(); });

        using var second = StudyLock.Acquire(StorePath, "tell", TimeSpan.FromSeconds(10));

        second.TookOverFrom.ShouldBeNull(); // released cleanly: nothing to take over
        release.Wait();
    }

    [Fact]
    public void A_lock_left_by_a_holder_that_died_is_taken_over_and_says_whose_it_was()
    {
        // What a SIGKILLed controller leaves: its holder file, and no OS lock (the kernel dropped it with the process).
        File.WriteAllText(StudyLock.HolderFile(StorePath), """{"command":"run","pid":999999,"host":"ci-agent-7","since":"2025-01-02T03:04:05Z"}""");

        using var taken = StudyLock.Acquire(StorePath, "run", TimeSpan.Zero);

        var dead = taken.TookOverFrom.ShouldNotBeNull();
        (dead.Pid, dead.Host, dead.Command).ShouldBe((999999, "ci-agent-7", "run"));
        LockHolder.Read(StudyLock.HolderFile(StorePath)).ShouldNotBeNull().Pid.ShouldBe(Environment.ProcessId);
    }

    [Fact]
    public void Releasing_the_lock_removes_its_holder_file_and_keeps_the_lock_file()
    {
        StudyLock.Acquire(StorePath, "apply", TimeSpan.Zero).Dispose();

        File.Exists(StudyLock.HolderFile(StorePath)).ShouldBeFalse();
        File.Exists(StudyLock.LockFile(StorePath)).ShouldBeTrue(); // never deleted: a waiter may hold it open
    }

    [Fact]
    public void A_folder_where_the_lock_file_belongs_is_invalid_input_in_one_line()
    {
        Directory.CreateDirectory(StudyLock.LockFile(StorePath));

        var refused = Should.Throw<AutotuneException>(() => StudyLock.Acquire(StorePath, "run", TimeSpan.Zero));

        refused.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        refused.Message.ShouldContain("is a folder");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

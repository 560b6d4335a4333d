using Autotune;

namespace Autotune.Tests.Sdk;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("autotune-ckpt-").FullName;

    [Fact]
    public void Latest_returns_the_newest_whole_checkpoint()
    {
        var store = new CheckpointStore(root);
        store.Save(1, f => File.WriteAllText(Path.Combine(f, "w"), "one"));
        store.Save(2, f => File.WriteAllText(Path.Combine(f, "w"), "two"));
        var latest = store.Latest().ShouldNotBeNull();
        latest.Epoch.ShouldBe(2);
        File.ReadAllText(latest.File("w")).ShouldBe("two");
    }

    [Fact]
    public void A_checkpoint_whose_file_was_corrupted_is_skipped_for_the_previous_one()
    {
        var store = new CheckpointStore(root);
        store.Save(1, f => File.WriteAllText(Path.Combine(f, "w"), "one"));
        var second = store.Save(2, f => File.WriteAllText(Path.Combine(f, "w"), "two"));
        File.WriteAllText(second.File("w"), "tw");
        store.Latest().ShouldNotBeNull().Epoch.ShouldBe(1);
    }

    [Fact]
    public void A_half_written_temporary_folder_is_never_taken_for_a_checkpoint()
    {
        var store = new CheckpointStore(root);
        store.Save(1, f => File.WriteAllText(Path.Combine(f, "w"), "one"));
        Directory.CreateDirectory(Path.Combine(root, ".epoch-0002.999.tmp"));
        File.WriteAllText(Path.Combine(root, ".epoch-0002.999.tmp", "w"), "partial");
        store.Latest().ShouldNotBeNull().Epoch.ShouldBe(1);
    }

    [Fact]
    public void Only_the_newest_two_checkpoints_are_kept()
    {
        var store = new CheckpointStore(root);
        for (var e = 1; e <= 4; e++) store.Save(e, f => File.WriteAllText(Path.Combine(f, "w"), e.ToString()));
        Directory.GetDirectories(root).Select(Path.GetFileName).Order().ShouldBe(["epoch-0003", "epoch-0004"]);
    }

    [Fact]
    public void An_empty_store_has_no_latest_checkpoint() => new CheckpointStore(root).Latest().ShouldBeNull();

    public void Dispose() => Directory.Delete(root, recursive: true);
}

using System.Runtime.InteropServices;
using Autotune.Native;
using Autotune.Tests.Support;

namespace Autotune.Tests.Train;

/// <summary>The TorchSharp 0.107 / Debian 12 libstdc++ fix, on the real libLibTorchSharp.so.</summary>
public sealed class LibstdcxxVersionPatchTests : IDisposable
{
    private const string Version = "GLIBCXX_3.4.32";
    private readonly string scratch = Directory.CreateTempSubdirectory("autotune-elf-").FullName;

    private static string OriginalLibrary =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages", "torchsharp", "0.107.0",
            "runtimes", "linux-x64", "native", LibstdcxxVersionPatch.LibraryName);

    [Fact]
    public void The_original_library_requires_GLIBCXX_3_4_32_strongly()
    {
        var needs = LibstdcxxVersionPatch.VersionNeeds(File.ReadAllBytes(OriginalLibrary));
        needs.ShouldContain(n => n.Name == Version && n.File == "libstdc++.so.6" && !n.Weak);
    }

    [Fact]
    public void Patching_marks_only_the_versions_the_host_lacks_weak_and_changes_nothing_else()
    {
        var copy = Path.Combine(scratch, LibstdcxxVersionPatch.LibraryName);
        File.Copy(OriginalLibrary, copy);
        var before = File.ReadAllBytes(copy);

        LibstdcxxVersionPatch.MakeMissingVersionsWeak(copy, v => v != Version).ShouldBe([Version]);

        var after = File.ReadAllBytes(copy);
        var needs = LibstdcxxVersionPatch.VersionNeeds(after);
        needs.Single(n => n.Name == Version).Weak.ShouldBeTrue();
        needs.Where(n => n.Name != Version).ShouldAllBe(n => !n.Weak);
        after.Length.ShouldBe(before.Length);
        Enumerable.Range(0, before.Length).Count(i => before[i] != after[i]).ShouldBe(1); // one flags byte
    }

    [Fact]
    public void A_host_that_has_every_version_gets_no_change()
    {
        var copy = Path.Combine(scratch, LibstdcxxVersionPatch.LibraryName);
        File.Copy(OriginalLibrary, copy);
        LibstdcxxVersionPatch.MakeMissingVersionsWeak(copy, _ => true).ShouldBeEmpty();
        File.ReadAllBytes(copy).ShouldBe(File.ReadAllBytes(OriginalLibrary));
    }

    [Fact]
    public void A_file_that_is_not_ELF_is_refused_with_a_clear_error()
    {
        Should.Throw<InvalidDataException>(() => LibstdcxxVersionPatch.VersionNeeds("not an elf file at all, really long enough to pass 64 bytes..........."u8.ToArray()))
            .Message.ShouldContain("not an ELF file");
    }

    /// <summary>
    /// On a host like Debian 12 the unpatched library does not load and the patched one does: this is
    /// the test that fails without the fix. Where the host's libstdc++ is new enough, there is nothing to fix.
    /// </summary>
    [Fact]
    [Trait("Category", "Integration")]
    public void On_this_host_the_unpatched_library_fails_to_load_where_the_patched_one_loads()
    {
        var host = LibstdcxxVersionPatch.FindHostLibstdcxx();
        Assert.SkipWhen(host is null || LibstdcxxVersionPatch.HostHas(host, Version), $"this host's libstdc++ has {Version}: no patch is needed");
        var libtorch = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages", "libtorch-cpu-linux-x64", "2.10.0");
        Assert.SkipWhen(!Directory.Exists(libtorch), "libtorch-cpu-linux-x64 2.10.0 is not restored");
        // The library finds libtorch through $ORIGIN: put both copies beside the libtorch natives of a fresh folder.
        var folder = Path.Combine(scratch, "natives");
        Directory.CreateDirectory(folder);
        foreach (var so in Directory.GetFiles(libtorch, "*.so*", SearchOption.AllDirectories))
            File.CreateSymbolicLink(Path.Combine(folder, Path.GetFileName(so)), so);
        var unpatched = Path.Combine(folder, "libLibTorchSharp-unpatched.so");
        var patched = Path.Combine(folder, LibstdcxxVersionPatch.LibraryName);
        File.Copy(OriginalLibrary, unpatched);
        File.Copy(OriginalLibrary, patched);

        var error = Should.Throw<DllNotFoundException>(() => NativeLibrary.Load(unpatched));
        error.Message.ShouldContain(Version);

        LibstdcxxVersionPatch.PatchFolder(folder).ShouldContain(c => c.Contains(Version));
        NativeLibrary.TryLoad(patched, out var handle).ShouldBeTrue();
        handle.ShouldNotBe(IntPtr.Zero);
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}

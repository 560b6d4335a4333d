// One source, two uses: MSBuild compiles it as an inline task (Autotune.Sdk.TorchSharp.targets)
// for anyone who builds a TorchSharp project with plain `dotnet build`, and the autotune tool
// links it (AUTOTUNE_TOOL defined) to patch every TorchSharp program it builds or runs.
using System;
using System.IO;
using System.Collections.Generic;
using System.Text;

namespace Autotune.Native
{
    /// <summary>
    /// TorchSharp 0.107's libLibTorchSharp.so asks for GLIBCXX_3.4.32, which Debian 12's libstdc++
    /// lacks, though the one symbol carrying that version is a link-time marker never resolved at
    /// run time. Marking such a version requirement weak (VER_FLG_WEAK) in the ELF .gnu.version_r
    /// section lets glibc load the library. Only requirements on libstdc++ that the host's
    /// libstdc++ does not define are touched, so hosts that need nothing are left untouched.
    /// </summary>
    public static class LibstdcxxVersionPatch
    {
        public const string LibraryName = "libLibTorchSharp.so";
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlagWeak = 0x2;

        private static readonly string[] HostLibraryPaths =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        };

        /// <summary>The host's libstdc++, or null where there is none to compare with (not Linux).</summary>
        public static string? FindHostLibstdcxx()
        {
            foreach (var p in HostLibraryPaths) if (File.Exists(p)) return p;
            return null;
        }

        /// <summary>True when the host's libstdc++ defines the given version (e.g. GLIBCXX_3.4.32).</summary>
        public static bool HostHas(string hostLibrary, string version)
        {
            var needle = Encoding.ASCII.GetBytes(version + "\0");
            var bytes = File.ReadAllBytes(hostLibrary);
            for (var i = 0; i + needle.Length <= bytes.Length; i++)
            {
                var j = 0;
                while (j < needle.Length && bytes[i + j] == needle[j]) j++;
                if (j == needle.Length && (i == 0 || bytes[i - 1] == 0)) return true;
            }
            return false;
        }

        /// <summary>
        /// Patches every libLibTorchSharp.so below <paramref name="folder"/> in place where this host
        /// needs it; returns one line per change made, empty when nothing needed changing.
        /// </summary>
        public static List<string> PatchFolder(string folder)
        {
            var changes = new List<string>();
            var host = FindHostLibstdcxx();
            if (host == null || !Directory.Exists(folder)) return changes;
            foreach (var file in Directory.EnumerateFiles(folder, LibraryName, SearchOption.AllDirectories))
                foreach (var version in MakeMissingVersionsWeak(file, v => HostHas(host, v)))
                    changes.Add(file + ": " + version + " marked weak");
            return changes;
        }

        /// <summary>
        /// Marks weak, in place, each libstdc++ version requirement of the ELF file for which
        /// <paramref name="hostHas"/> is false; returns the versions changed.
        /// </summary>
        public static List<string> MakeMissingVersionsWeak(string elfFile, Func<string, bool> hostHas)
        {
            var changed = new List<string>();
            byte[] elf = File.ReadAllBytes(elfFile);
            foreach (var aux in VersionNeeds(elf))
            {
                if (!aux.File.StartsWith("libstdc++", StringComparison.Ordinal)) continue;
                if ((aux.Flags & VerFlagWeak) != 0 || hostHas(aux.Name)) continue;
                BitConverter.GetBytes((ushort)(aux.Flags | VerFlagWeak)).CopyTo(elf, aux.FlagsOffset);
                changed.Add(aux.Name);
            }
            if (changed.Count == 0) return changed;
            // Write beside, then rename: a kill mid-write must not leave a torn library.
            var temp = elfFile + ".autotune-tmp";
            File.WriteAllBytes(temp, elf);
            File.Replace(temp, elfFile, null); // atomic rename over the original (netstandard has no Move overwrite)
            return changed;
        }

        public sealed class VersionNeed
        {
            public string File = "";
            public string Name = "";
            public ushort Flags;
            public int FlagsOffset;
            public bool Weak => (Flags & VerFlagWeak) != 0;
        }

        /// <summary>The version requirements (Vernaux entries) of a 64-bit little-endian ELF file.</summary>
        public static List<VersionNeed> VersionNeeds(byte[] elf)
        {
            var result = new List<VersionNeed>();
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("only 64-bit little-endian ELF files are supported");
            var shoff = (long)BitConverter.ToUInt64(elf, 0x28);
            int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
            for (var i = 0; i < shnum; i++)
            {
                var sh = (int)(shoff + (long)i * shentsize);
                if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;
                var offset = (int)BitConverter.ToUInt64(elf, sh + 24);
                var link = (int)BitConverter.ToUInt32(elf, sh + 40);
                var count = (int)BitConverter.ToUInt32(elf, sh + 44);
                var strtab = (int)BitConverter.ToUInt64(elf, (int)(shoff + (long)link * shentsize) + 24);
                var need = offset;
                for (var n = 0; n < count; n++)
                {
                    var auxCount = BitConverter.ToUInt16(elf, need + 2);
                    var file = CString(elf, strtab + (int)BitConverter.ToUInt32(elf, need + 4));
                    var aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                    for (var a = 0; a < auxCount; a++)
                    {
                        result.Add(new VersionNeed
                        {
                            File = file,
                            Flags = BitConverter.ToUInt16(elf, aux + 4),
                            FlagsOffset = aux + 4,
                            Name = CString(elf, strtab + (int)BitConverter.ToUInt32(elf, aux + 8)),
                        });
                        aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                    }
                    need += (int)BitConverter.ToUInt32(elf, need + 12);
                }
            }
            return result;
        }

        private static string CString(byte[] bytes, int start)
        {
            var end = start;
            while (end < bytes.Length && bytes[end] != 0) end++;
            return Encoding.ASCII.GetString(bytes, start, end - start);
        }
    }

#if !AUTOTUNE_TOOL
    /// <summary>The MSBuild face: runs after the output (or publish) folder is filled.</summary>
    public class PatchLibstdcxxVersionNeeds : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public string Folder { get; set; } = "";

        public override bool Execute()
        {
            foreach (var change in LibstdcxxVersionPatch.PatchFolder(Folder))
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, "autotune: " + change);
            return !Log.HasLoggedErrors;
        }
    }
#endif
}

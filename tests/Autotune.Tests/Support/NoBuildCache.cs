using System.Runtime.CompilerServices;
using Autotune.Train;

namespace Autotune.Tests.Support;

/// <summary>
/// The tests run `autotune run` in process and as a child process: without this, every study of theirs would
/// file its build in the user's cache and a later test could start from another's. The build cache's own
/// tests hand their <see cref="BuildCache"/> a scratch folder explicitly.
/// </summary>
internal static class NoBuildCache
{
#pragma warning disable CA2255 // a module initializer is what makes this hold before any test starts
    [ModuleInitializer]
    internal static void TurnOff() => Environment.SetEnvironmentVariable(BuildCache.Variable, "off");
#pragma warning restore CA2255
}

using System.Text.RegularExpressions;
using Autotune.Cli;

namespace Autotune.Train.Docker;

/// <summary>
/// Variables the trial container gets besides the trial environment (a container inherits nothing from the
/// tool): `--env NAME=VALUE`, or `--env NAME` for this process's own value, left out when it has none.
/// The AUTOTUNE_ names are the tool's to set.
/// </summary>
public static partial class ContainerEnvironment
{
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> specs, Func<string, string?>? lookup = null)
    {
        lookup ??= Environment.GetEnvironmentVariable;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var eq = spec.IndexOf('=');
            var name = eq < 0 ? spec : spec[..eq];
            if (!NameForm().IsMatch(name))
                throw AutotuneException.Invalid($"--env '{spec}' is not NAME=VALUE or NAME (letters, digits and _)");
            if (name.StartsWith("AUTOTUNE_", StringComparison.Ordinal))
                throw AutotuneException.Invalid($"--env {name}: AUTOTUNE_ variables are the trial environment, set by the tool");
            var value = eq < 0 ? lookup(name) : spec[(eq + 1)..];
            if (value is not null) result[name] = value;
        }
        return result;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex NameForm();
}

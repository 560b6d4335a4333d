using System.CommandLine;

namespace Autotune.Cli;

/// <summary>Builds the root command and is the only place that turns failures into exit codes.</summary>
public static class CommandLine
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("autotune: train C# model code, tune its hyperparameters until it reaches a target, and report.");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(DetectCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(TrialsCommand.Create());
        root.Subcommands.Add(ImageCommand.Create());
        root.Subcommands.Add(MonitorCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(NotifyCommand.Create());
        root.Subcommands.Add(ApplyCommand.Create());
        root.Subcommands.Add(InitCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var parse = CreateRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) error.WriteLine($"autotune: {e.Message} (see autotune --help)");
            return ExitCodes.InvalidInput;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (AutotuneException e)
        {
            return Report(error, e.ExitCode, e.Message, e.Detail);
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("autotune: cancelled; run the same command again to resume");
            return 130;
        }
        catch (IOException e) when (e.HResult is 28 or unchecked((int)0x80070070)) // ENOSPC
        {
            return Report(error, ExitCodes.Infrastructure, $"disk full: {e.Message}; free space and run again", null);
        }
        catch (Exception e)
        {
            error.WriteLine($"autotune: internal error (a bug in autotune, please report it): {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable("AUTOTUNE_DEBUG") == "1") error.WriteLine(e);
            return 70;
        }
    }

    private static int Report(TextWriter error, int code, string message, string? detail)
    {
        error.WriteLine($"autotune: {message}");
        if (!string.IsNullOrWhiteSpace(detail))
            foreach (var line in detail.TrimEnd().Split('\n')) error.WriteLine("  | " + line.TrimEnd('\r'));
        return code;
    }
}

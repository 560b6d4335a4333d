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
        root.Subcommands.Add(AskCommand.Create());
        root.Subcommands.Add(TellCommand.Create());
        root.Subcommands.Add(EnqueueCommand.Create());
        root.Subcommands.Add(ImageCommand.Create());
        root.Subcommands.Add(MonitorCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(NotifyCommand.Create());
        root.Subcommands.Add(ApplyCommand.Create());
        root.Subcommands.Add(InitCommand.Create());
        // A study name becomes a folder and a label: every command's --study is held to the one rule.
        foreach (var option in Commands(root).SelectMany(c => c.Options).OfType<Option<string>>().Where(o => o.Name == "--study"))
            option.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<string?>() is { } name && Tune.StudyName.Refusal(name, "--study") is { } refusal) r.AddError(refusal);
            });
        return root;
    }

    private static IEnumerable<Command> Commands(Command command) => command.Subcommands.SelectMany(Commands).Prepend(command);

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var parse = CreateRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line, however many complaints the parser has ("fly" is both an unknown word and a missing command).
            error.WriteLine($"autotune: {OneLine(string.Join("; ", parse.Errors.Select(e => Readable(e.Message)).Distinct()))} (see autotune --help)");
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
            return ExitCodes.Cancelled;
        }
        catch (IOException e) when (e.HResult is 28 or unchecked((int)0x80070070)) // ENOSPC
        {
            return Report(error, ExitCodes.Infrastructure, $"disk full: {e.Message}; free space and run again", null);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode is 13 or 10) // SQLITE_FULL, SQLITE_IOERR
        {
            return Report(error, ExitCodes.Infrastructure, $"cannot write the study store ({e.Message.TrimEnd('.')}): free disk space and run again; the study resumes where it stopped", null);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode is 5 or 6) // BUSY, LOCKED: another process took the store's lock mid-command
        {
            return Report(error, ExitCodes.Infrastructure, $"the study store stayed locked by another process ({e.Message.TrimEnd('.')}): end what holds .autotune/study.db and run again; the study resumes where it stopped", null);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode is 11 or 26 or 1) // CORRUPT, NOTADB, a missing table
        {
            return Report(error, ExitCodes.InvalidInput, $"the study store is damaged ({e.Message.TrimEnd('.')}): move .autotune/study.db away to start a new study", null);
        }
        catch (Exception e)
        {
            error.WriteLine($"autotune: internal error (a bug in autotune, please report it): {e.GetType().Name}: {OneLine(e.Message)}");
            if (Environment.GetEnvironmentVariable("AUTOTUNE_DEBUG") == "1") error.WriteLine(e);
            return ExitCodes.InternalError;
        }
    }

    /// <summary>"as expected type 'System.Nullable`1[System.Int32]'" says nothing to a user; "a whole number" does.</summary>
    private static string Readable(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @" as expected type '([^']*)'\.?", m => m.Groups[1].Value switch
        {
            var t when t.Contains("Int32") || t.Contains("Int64") => " as a whole number",
            var t when t.Contains("Double") || t.Contains("Single") => " as a number",
            var t when t.Contains("Boolean") => " as true or false",
            _ => "",
        });

    private static int Report(TextWriter error, int code, string message, string? detail)
    {
        error.WriteLine($"autotune: {OneLine(message)}");
        if (!string.IsNullOrWhiteSpace(detail))
            foreach (var line in detail.TrimEnd().Split('\n')) error.WriteLine("  | " + OneLine(line.TrimEnd('\r')));
        return code;
    }

    /// <summary>
    /// A message quotes what the user gave (names, values, paths), which may hold a line break or a terminal
    /// escape: printed raw, one message would span lines and could forge a log line. Control characters, line
    /// and paragraph separators and bidirectional overrides are shown escaped, as C# writes them.
    /// </summary>
    public static string OneLine(string text)
    {
        if (!text.Any(NeedsEscape)) return text;
        var escaped = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when NeedsEscape(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        return escaped.ToString();
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';
}

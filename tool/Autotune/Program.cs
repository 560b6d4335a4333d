using Autotune.Cli;

return await CommandLine.RunAsync(args);

using System.Diagnostics;
using Autotune.Report;
using Autotune.Tests.Support;

namespace Autotune.Tests.Report;

/// <summary>The report as a person sees it: opened in a real headless Chromium (Debian's `chromium`).</summary>
[Trait("Category", "Integration")]
public sealed class ReportInBrowserTests : IDisposable
{
    private const string Install = "install Debian's chromium (apt-get install -y chromium) to run the report's browser tests";
    private readonly string scratch = Directory.CreateTempSubdirectory("autotune-chromium-").FullName;

    [Fact]
    public async Task Chromium_loads_the_report_with_its_trials_table_and_both_charts()
    {
        using var study = new SyntheticStudy();
        var written = ReportWriter.Write(ReportSource.Load(study.ModelDir, null, DateTimeOffset.UtcNow), Path.Combine(scratch, "report"), new ReportTemplates());

        var dom = await Chromium("--dump-dom", new Uri(written.Html).AbsoluteUri);

        dom.ShouldContain("data-images-loaded=\"yes\"", customMessage: "the page's load check says a chart did not load");
        dom.ShouldContain("<table id=\"trials\">");
        dom.ShouldContain("id=\"chart-trials\"");
        dom.ShouldContain("id=\"chart-epochs\"");
    }

    [Fact]
    public async Task Chromium_loads_the_importance_table_and_chart_of_a_study_with_enough_completed_trials()
    {
        var written = ReportWriter.Write(SyntheticStudy.OfRandomTrials(24), Path.Combine(scratch, "report"), new ReportTemplates());

        var dom = await Chromium("--dump-dom", new Uri(written.Html).AbsoluteUri);

        dom.ShouldContain("data-images-loaded=\"yes\"", customMessage: "the page's load check says a chart did not load");
        dom.ShouldContain("<table id=\"importance\">");
        dom.ShouldContain("id=\"chart-importance\"");
    }

    [Fact]
    public async Task Chromium_renders_a_screenshot_of_the_report()
    {
        using var study = new SyntheticStudy();
        var written = ReportWriter.Write(ReportSource.Load(study.ModelDir, null, DateTimeOffset.UtcNow), Path.Combine(scratch, "report"), new ReportTemplates());
        var screenshot = Path.Combine(scratch, "report-screenshot.png");

        await Chromium($"--screenshot={screenshot}", "--window-size=1200,1600", new Uri(written.Html).AbsoluteUri);

        new FileInfo(screenshot).Length.ShouldBeGreaterThan(20_000);
        // AUTOTUNE_WRITE_SCREENSHOT=1 refreshes the README's picture from this run.
        if (Environment.GetEnvironmentVariable("AUTOTUNE_WRITE_SCREENSHOT") == "1")
            File.Copy(screenshot, Path.Combine(Tool.RepositoryRoot, "docs", "report-screenshot.png"), overwrite: true);
    }

    private async Task<string> Chromium(params string[] args)
    {
        var chromium = RequiredProgram.Find("chromium", Install);
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // A fresh profile each run, no network or background services: the page is a local file.
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                     $"--user-data-dir={Directory.CreateDirectory(Path.Combine(scratch, "profile-" + Guid.NewGuid().ToString("N"))).FullName}", "--virtual-time-budget=5000" })
            start.ArgumentList.Add(a);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish within 90 s: " + await error);
        }
        process.ExitCode.ShouldBe(0, $"chromium failed: {await error}");
        return await output;
    }

    public void Dispose()
    {
        try { Directory.Delete(scratch, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

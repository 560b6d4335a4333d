using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Autotune.Tests.Support;
using MimeKit;

namespace Autotune.Tests.Notify;

/// <summary>
/// smtp_server.py (aiosmtpd) on a free loopback port, storing what it receives in a scratch
/// folder; killed by its PID on Dispose, so a failing test never leaves it running.
/// </summary>
public sealed class SmtpTestServer : IDisposable
{
    public const string User = "ci-bot";
    private const string Install = "install Debian's python3-aiosmtpd (apt-get install -y python3-aiosmtpd) to run the SMTP integration tests";
    private readonly Process process;

    public int Port { get; }
    public string Folder { get; }
    public string LogFile => Path.Combine(Folder, "..", $"server-{Port}.log");

    public sealed record Received(MimeMessage Message, string From, IReadOnlyList<string> To, string Raw);

    private SmtpTestServer(Process process, int port, string folder) { this.process = process; Port = port; Folder = folder; }

    public static SmtpTestServer Start(string scratch, string tls = "none", string? password = null, int failFirst = 0, TestCertificate? certificate = null)
    {
        var python = RequiredProgram.Find("/usr/bin/python3", Install);
        var port = FreePort();
        var folder = Directory.CreateDirectory(Path.Combine(scratch, $"mail-{port}")).FullName;
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(Tool.RepositoryRoot, "tests", "Autotune.Tests", "Notify", "smtp_server.py"),
                     "--port", port.ToString(), "--out", folder, "--tls", tls, "--fail-first", failFirst.ToString() })
            start.ArgumentList.Add(a);
        if (certificate is not null) { start.ArgumentList.Add("--cert"); start.ArgumentList.Add(certificate.Cert); start.ArgumentList.Add("--key"); start.ArgumentList.Add(certificate.Key); }
        if (password is not null) { start.ArgumentList.Add("--user"); start.ArgumentList.Add(User); start.ArgumentList.Add("--password"); start.ArgumentList.Add(password); }
        var process = Process.Start(start)!;
        var server = new SmtpTestServer(process, port, folder);
        var log = new StreamWriter(server.LogFile) { AutoFlush = true };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginErrorReadLine();
        var ready = process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(20)) || ready.Result != "READY")
        {
            server.Dispose();
            throw new InvalidOperationException($"the test SMTP server did not start ({Install}); its log: {File.ReadAllText(server.LogFile)}");
        }
        return server;
    }

    public IReadOnlyList<Received> Messages() =>
        Directory.GetFiles(Folder, "*.eml").Order().Select(eml =>
        {
            using var envelope = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(eml, ".json")));
            return new Received(MimeMessage.Load(eml), envelope.RootElement.GetProperty("from").GetString()!,
                envelope.RootElement.GetProperty("to").EnumerateArray().Select(t => t.GetString()!).ToList(), File.ReadAllText(eml));
        }).ToList();

    public string Log() { try { return File.ReadAllText(LogFile); } catch (IOException) { return ""; } }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try { if (!process.HasExited) process.Kill(); process.WaitForExit(5000); }
        catch (InvalidOperationException) { }
        process.Dispose();
    }
}

/// <summary>A self-signed certificate for 127.0.0.1 made by openssl at test time, so none is committed.</summary>
public sealed record TestCertificate(string Cert, string Key)
{
    public static TestCertificate Create(string folder)
    {
        var openssl = RequiredProgram.Find("openssl", "install Debian's openssl (apt-get install -y openssl)");
        var cert = Path.Combine(folder, "cert.pem");
        var key = Path.Combine(folder, "key.pem");
        var start = new ProcessStartInfo(openssl) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                     "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost" })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException("openssl could not make a test certificate: " + error);
        return new TestCertificate(cert, key);
    }
}

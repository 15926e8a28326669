using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SipTrunk.Testing;

namespace SipTrunk.IntegrationTests.Cli;

public sealed class RunCommandTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _directory = new();
    private readonly int _port = FreePort.Tcp();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Run_ValidConfig_LogsStartAndExitsZeroOnSignal(string signal)
    {
        var config = ShippedConfigOnFreePort();

        var (exitCode, stdout, stderr) = await RunUntilSignalAsync(signal, "run", "--config", config);

        Assert.True(exitCode == 0, $"exit {exitCode}: {stderr}");
        Assert.Contains($"SipTrunk starting with {config}: domain trunk.example.net, listeners peers tls 127.0.0.1:{_port} client-cert require", stdout, StringComparison.Ordinal);
        Assert.Contains($"listening on Tls 127.0.0.1:{_port}", stdout, StringComparison.Ordinal);
        Assert.Contains("Admin listening on http://127.0.0.1:", stdout, StringComparison.Ordinal);
        Assert.Contains("development certificates requested", stdout, StringComparison.Ordinal);
        Assert.Contains("SipTrunk stopping", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoCertificates_GeneratesADevelopmentPkiOnceAndSaysWhere()
    {
        var config = ShippedConfigOnFreePort();
        var certs = _directory.Combine("certs");

        var (exitCode, stdout, stderr) = await RunUntilSignalAsync("INT", "run", "--config", config);

        Assert.True(exitCode == 0, $"exit {exitCode}: {stderr}");
        Assert.Contains($"Development certificates written to {certs}", stdout, StringComparison.Ordinal);
        var verify = await ProcessRunner.RunAsync(
            "openssl", ["verify", "-CAfile", Path.Combine(certs, "ca.pem"), Path.Combine(certs, "server.pem"), Path.Combine(certs, "pbx-a.pem")], timeout: Bound);
        Assert.True(verify.ExitCode == 0, verify.StandardError);
        Assert.Contains("server.pem: OK", verify.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("pbx-a.pem: OK", verify.StandardOutput, StringComparison.Ordinal);

        // A second start finds the files and leaves them alone; the config now checks against real files.
        var serverPem = await File.ReadAllBytesAsync(Path.Combine(certs, "server.pem"));
        var second = await RunUntilSignalAsync("INT", "run", "--config", config);
        Assert.Equal(0, second.ExitCode);
        Assert.DoesNotContain("Development certificates written", second.Stdout, StringComparison.Ordinal);
        Assert.Equal(serverPem, await File.ReadAllBytesAsync(Path.Combine(certs, "server.pem")));
        var check = await ProcessRunner.RunSipTrunkAsync(["config", "check", "--config", config], workingDirectory: _directory.Path, timeout: Bound);
        Assert.True(check.ExitCode == 0, check.StandardError);
    }

    [Fact]
    public async Task Run_JsonLogFormat_WritesCompactJsonLines()
    {
        var config = ShippedConfigOnFreePort();

        var (exitCode, stdout, stderr) = await RunUntilSignalAsync("INT", "run", "--config", config, "--log-format", "json");

        Assert.True(exitCode == 0, $"exit {exitCode}: {stderr}");
        var start = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Single(e => e.GetProperty("@m").GetString()!.StartsWith("SipTrunk starting", StringComparison.Ordinal));
        Assert.Equal(config, start.GetProperty("ConfigPath").GetString());
    }

    [Fact]
    public async Task Run_InvalidConfig_ExitsOneWithKeys()
    {
        var config = ConfigTestFiles.CopyShippedConfig(_directory, c =>
        {
            c["Carriers"]![0]!["Uri"] = "carrier.example";
            c["Admin"]!["Urls"] = "http://0.0.0.0:8080";
        });

        var result = await ProcessRunner.RunSipTrunkAsync(["run", "--config", config], workingDirectory: _directory.Path, timeout: Bound);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Carriers[0].Uri: ", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("Admin.Token: ", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("SipTrunk starting", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BadLogFormat_ExitsTwo()
    {
        var config = ShippedConfigOnFreePort();

        var result = await ProcessRunner.RunSipTrunkAsync(["run", "--config", config, "--log-format", "xml"], workingDirectory: _directory.Path, timeout: Bound);

        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task Run_MissingConfig_ExitsOne()
    {
        var result = await ProcessRunner.RunSipTrunkAsync(["run", "--config", _directory.Combine("absent.json")], workingDirectory: _directory.Path, timeout: Bound);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("config: file not found: ", result.StandardError, StringComparison.Ordinal);
    }

    // The shipped config listens on 0.0.0.0:5061; tests take a free loopback port so they can run beside anything.
    private string ShippedConfigOnFreePort() => ConfigTestFiles.CopyShippedConfig(_directory, c =>
    {
        c["Listeners"]![0]!["Address"] = "127.0.0.1";
        c["Listeners"]![0]!["Port"] = _port;
        c["Admin"]!["Urls"] = "http://127.0.0.1:0";
    });

    /// <summary>Starts siptrunk, waits until it listens, sends the signal with kill(1) and waits (bounded) for the exit.</summary>
    private async Task<(int ExitCode, string Stdout, string Stderr)> RunUntilSignalAsync(string signal, params string[] arguments)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = _directory.Path,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "siptrunk.dll"));
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stdout)
            {
                stdout.AppendLine(e.Data);
            }

            // The SIP listener's line, not the admin server's ("Admin listening on http://…"), which comes first.
            if (e.Data.Contains("listening on Tls ", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Task.WhenAny(started.Task, process.WaitForExitAsync()).WaitAsync(Bound);
            Assert.True(started.Task.IsCompleted, $"no start line; stdout: {stdout} stderr: {stderr}");

            var kill = await ProcessRunner.RunAsync("kill", ["-s", signal, process.Id.ToString(CultureInfo.InvariantCulture)], timeout: Bound);
            Assert.Equal(0, kill.ExitCode);

            await process.WaitForExitAsync().WaitAsync(Bound);

            // The parameterless WaitForExit drains the asynchronous output readers.
            process.WaitForExit();
            lock (stdout)
            {
                lock (stderr)
                {
                    return (process.ExitCode, stdout.ToString(), stderr.ToString());
                }
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}

using SipTrunk.Testing;

namespace SipTrunk.IntegrationTests.Cli;

public class CertsCommandTests
{
    private static readonly string[] AllFiles =
    [
        "ca.pem", "ca.key", "server.pem", "server.key", "pbx-a.pem", "pbx-a.key", "carrier-1.pem", "carrier-1.key",
    ];

    [Fact]
    public async Task CertsInit_PeerAndCarrier_OpenSslVerifiesEveryCertificate()
    {
        using var temp = new TempDirectory();
        var dir = temp.Combine("certs");

        var result = await InitAsync(dir);

        Assert.True(result.ExitCode == 0, result.StandardError);
        foreach (var file in AllFiles)
        {
            Assert.Contains($"wrote {Path.Combine(dir, file)}", result.StandardOutput, StringComparison.Ordinal);
        }

        var verify = await ProcessRunner.RunAsync(
            "openssl",
            ["verify", "-CAfile", Path.Combine(dir, "ca.pem"), Path.Combine(dir, "server.pem"), Path.Combine(dir, "pbx-a.pem"), Path.Combine(dir, "carrier-1.pem")]);
        Assert.True(verify.ExitCode == 0, verify.StandardOutput + verify.StandardError);
        Assert.Contains($"{Path.Combine(dir, "server.pem")}: OK", verify.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(dir, "pbx-a.pem")}: OK", verify.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(dir, "carrier-1.pem")}: OK", verify.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertsInit_ServerCertificate_HasLoopbackSansAndBothUsages()
    {
        using var temp = new TempDirectory();
        var dir = temp.Combine("certs");
        Assert.Equal(0, (await InitAsync(dir)).ExitCode);

        var text = await ExtensionsAsync(Path.Combine(dir, "server.pem"));

        Assert.Contains("DNS:localhost", text, StringComparison.Ordinal);
        Assert.Contains("IP Address:127.0.0.1", text, StringComparison.Ordinal);
        Assert.Contains("IP Address:0:0:0:0:0:0:0:1", text, StringComparison.Ordinal);
        Assert.Contains("TLS Web Server Authentication", text, StringComparison.Ordinal);
        Assert.Contains("TLS Web Client Authentication", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertsInit_PeerCertificate_IsClientOnly()
    {
        using var temp = new TempDirectory();
        var dir = temp.Combine("certs");
        Assert.Equal(0, (await InitAsync(dir)).ExitCode);

        var text = await ExtensionsAsync(Path.Combine(dir, "pbx-a.pem"));

        Assert.Contains("DNS:pbx-a", text, StringComparison.Ordinal);
        Assert.Contains("TLS Web Client Authentication", text, StringComparison.Ordinal);
        Assert.DoesNotContain("TLS Web Server Authentication", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertsInit_CarrierCertificate_IsServerAndClientOnLoopback()
    {
        using var temp = new TempDirectory();
        var dir = temp.Combine("certs");
        Assert.Equal(0, (await InitAsync(dir)).ExitCode);

        var text = await ExtensionsAsync(Path.Combine(dir, "carrier-1.pem"));

        Assert.Contains("DNS:carrier-1", text, StringComparison.Ordinal);
        Assert.Contains("IP Address:127.0.0.1", text, StringComparison.Ordinal);
        Assert.Contains("TLS Web Server Authentication", text, StringComparison.Ordinal);
        Assert.Contains("TLS Web Client Authentication", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertsInit_SecondRunWithoutForce_ExitsOneAndLeavesFilesUnchanged()
    {
        using var temp = new TempDirectory();
        var dir = temp.Combine("certs");
        Assert.Equal(0, (await InitAsync(dir)).ExitCode);
        var before = AllFiles.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(dir, f)));

        var second = await InitAsync(dir);

        Assert.Equal(1, second.ExitCode);
        var message = second.StandardError.TrimEnd('\n');
        Assert.DoesNotContain('\n', message);
        Assert.Contains("pbx-a.pem", message, StringComparison.Ordinal);
        Assert.Contains("carrier-1.key", message, StringComparison.Ordinal);
        foreach (var (file, bytes) in before)
        {
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(dir, file)));
        }
    }

    [Fact]
    public async Task CertsInit_WithForce_ExitsZeroAndReplacesCa()
    {
        using var temp = new TempDirectory();
        var dir = temp.Combine("certs");
        Assert.Equal(0, (await InitAsync(dir)).ExitCode);
        var caBefore = File.ReadAllBytes(Path.Combine(dir, "ca.pem"));

        var forced = await InitAsync(dir, "--force");

        Assert.True(forced.ExitCode == 0, forced.StandardError);
        Assert.NotEqual(caBefore, File.ReadAllBytes(Path.Combine(dir, "ca.pem")));
        var verify = await ProcessRunner.RunAsync(
            "openssl", ["verify", "-CAfile", Path.Combine(dir, "ca.pem"), Path.Combine(dir, "pbx-a.pem")]);
        Assert.Equal(0, verify.ExitCode);
    }

    [Fact]
    public async Task CertsInit_AddPeerLater_ReusesCaAndKeepsServer()
    {
        using var temp = new TempDirectory();
        var dir = temp.Combine("certs");
        Assert.Equal(0, (await InitAsync(dir)).ExitCode);
        var serverBefore = File.ReadAllBytes(Path.Combine(dir, "server.pem"));

        var result = await ProcessRunner.RunSipTrunkAsync(["certs", "init", "--out", dir, "--peer", "pbx-b"]);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains($"wrote {Path.Combine(dir, "pbx-b.pem")}", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain($"wrote {Path.Combine(dir, "ca.pem")}", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(serverBefore, File.ReadAllBytes(Path.Combine(dir, "server.pem")));
        var verify = await ProcessRunner.RunAsync(
            "openssl", ["verify", "-CAfile", Path.Combine(dir, "ca.pem"), Path.Combine(dir, "pbx-b.pem")]);
        Assert.Equal(0, verify.ExitCode);
    }

    [Fact]
    public async Task CertsInit_DefaultOut_WritesToCertsInWorkingDirectory()
    {
        using var temp = new TempDirectory();

        var result = await ProcessRunner.RunSipTrunkAsync(["certs", "init"], workingDirectory: temp.Path);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("wrote certs/ca.pem", result.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(temp.Combine("certs", "server.key")));
    }

    [Theory]
    [InlineData("--peer", "../evil")]
    [InlineData("--carrier", "a b")]
    [InlineData("--host", "not a host")]
    public async Task CertsInit_BadName_ExitsOneWithReason(string option, string value)
    {
        using var temp = new TempDirectory();
        var dir = temp.Combine("certs");

        var result = await ProcessRunner.RunSipTrunkAsync(["certs", "init", "--out", dir, option, value]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(option, result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task CertsInit_Help_ExitsZero()
    {
        var result = await ProcessRunner.RunSipTrunkAsync(["certs", "init", "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--force", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--peer", result.StandardOutput, StringComparison.Ordinal);
    }

    private static Task<ProcessResult> InitAsync(string dir, params string[] extra) =>
        ProcessRunner.RunSipTrunkAsync(["certs", "init", "--out", dir, "--peer", "pbx-a", "--carrier", "carrier-1", .. extra]);

    private static async Task<string> ExtensionsAsync(string certificate)
    {
        var result = await ProcessRunner.RunAsync(
            "openssl", ["x509", "-in", certificate, "-noout", "-ext", "subjectAltName,extendedKeyUsage"]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput;
    }
}

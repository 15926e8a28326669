using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SipTrunk.Cli;
using SipTrunk.Configuration;
using SipTrunk.Testing;
using SipTrunk.Tests.Admin;

namespace SipTrunk.Tests.Cli;

/// <summary><c>siptrunk health</c>: the container HEALTHCHECK probe of <c>/healthz</c>.</summary>
public sealed class HealthCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Health_UrlOfARealAdminServer_ExitsZero()
    {
        await using var admin = await AdminTestServer.StartAsync();

        var (exit, stdout, stderr) = await RunAsync("health", "--url", new Uri(admin.Server.Addresses[0], "/healthz").ToString());

        Assert.True(exit == SipTrunkCli.Success, stderr);
        Assert.StartsWith($"healthy: {admin.Server.Addresses[0]}healthz answered 200 OK", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_WithoutUrl_ProbesTheConfiguredAdminUrl()
    {
        await using var admin = await AdminTestServer.StartAsync();
        var port = admin.Server.Addresses[0].Port;
        var config = WriteConfig(string.Create(CultureInfo.InvariantCulture, $"http://0.0.0.0:{port}"));

        var (exit, stdout, stderr) = await RunAsync("health", "--config", config);

        Assert.True(exit == SipTrunkCli.Success, stderr);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/healthz answered 200"), stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ServerAnswers503_ExitsOneWithTheStatus()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serve = AnswerOnceAsync(listener, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/healthz");

        var (exit, stdout, stderr) = await RunAsync("health", "--url", url);
        await serve;

        Assert.Equal(SipTrunkCli.UserError, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"health: {url} answered 503 Service Unavailable", stderr.TrimEnd());
    }

    [Fact]
    public async Task Health_NothingListening_ExitsOneWithOneLine()
    {
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreePort.Tcp()}/healthz");

        var (exit, _, stderr) = await RunAsync("health", "--url", url, "--timeout", "5");

        Assert.Equal(SipTrunkCli.UserError, exit);
        Assert.StartsWith($"health: {url}: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Health_MissingConfig_ExitsOne()
    {
        var (exit, _, stderr) = await RunAsync("health", "--config", _directory.Combine("absent.json"));

        Assert.Equal(SipTrunkCli.UserError, exit);
        Assert.StartsWith("config: file not found", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_UrlNotHttp_ExitsOneWithTheReason()
    {
        var (exit, _, stderr) = await RunAsync("health", "--url", "ftp://127.0.0.1/healthz");

        Assert.Equal(SipTrunkCli.UserError, exit);
        Assert.Equal("--url: 'ftp://127.0.0.1/healthz' is not an absolute http:// or https:// URL", stderr.TrimEnd());
    }

    [Fact]
    public async Task Health_BadTimeout_IsAUsageError()
    {
        var (exit, _, _) = await RunAsync("health", "--url", "http://127.0.0.1:1/healthz", "--timeout", "0");

        Assert.Equal(SipTrunkCli.UsageError, exit);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/healthz")]
    [InlineData("http://0.0.0.0:8080", "http://127.0.0.1:8080/healthz")]
    [InlineData("http://[::]:8081;http://0.0.0.0:8080", "http://[::1]:8081/healthz")]
    [InlineData("http://*:9000", "http://127.0.0.1:9000/healthz")]
    [InlineData("http://+:9000/", "http://127.0.0.1:9000/healthz")]
    [InlineData("https://admin.example.net:8443", "https://admin.example.net:8443/healthz")]
    public void HealthUrl_AdminUrls_FirstUrlWithWildcardsOnLoopback(string urls, string expected)
    {
        Assert.Equal(new Uri(expected), HealthCommand.HealthUrl(new AdminOptions { Urls = urls }));
    }

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("ftp://127.0.0.1:21")]
    [InlineData(" ; ")]
    public void HealthUrl_UnprobeableAdminUrls_AskForUrl(string urls)
    {
        var ex = Assert.Throws<CliUserException>(() => HealthCommand.HealthUrl(new AdminOptions { Urls = urls }));
        Assert.EndsWith("pass --url", ex.Message, StringComparison.Ordinal);
    }

    private string WriteConfig(string adminUrls)
    {
        var path = _directory.Combine("siptrunk.json");
        File.WriteAllText(path, $$"""
            { "SipTrunk": { "Domain": "t.example", "Listeners": [ { "Name": "p", "Address": "127.0.0.1", "Port": 5061 } ],
              "Tls": { "AutoGenerateDevCertificates": true }, "Admin": { "Urls": "{{adminUrls}}" } } }
            """);
        return path;
    }

    private static async Task AnswerOnceAsync(TcpListener listener, string response)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new byte[4096];
        var received = new StringBuilder();
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                return;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await SipTrunkCli.RunAsync(SipTrunkCli.BuildRoot(), args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}

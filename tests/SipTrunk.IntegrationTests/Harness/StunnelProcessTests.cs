using System.Net;
using System.Net.Sockets;
using SipTrunk.Testing;
using SipTrunk.Testing.Peers;
using SipTrunk.Testing.Pki;

namespace SipTrunk.IntegrationTests.Harness;

public sealed class StunnelProcessTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task StartAsync_CertificateFileMissing_ThrowsWithStunnelsOwnReason()
    {
        var pki = TestPki.Create(_directory.Combine("pki"));
        var missing = new CertificateFiles("nobody", _directory.Combine("missing.pem"), _directory.Combine("missing.key"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => StunnelProcess.StartServerAsync(FreePort.Tcp(), missing, pki.CaCertificatePath));

        Assert.Contains("exited with", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing.CertificatePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ServerMode_ListensUntilDisposed()
    {
        var pki = TestPki.Create(_directory.Combine("pki"));
        var stunnel = await StunnelProcess.StartServerAsync(FreePort.Tcp(), pki.Carriers[TestPki.DefaultCarrier], pki.CaCertificatePath);
        var port = stunnel.AcceptPort;

        using (var probe = new TcpClient())
        {
            await probe.ConnectAsync(IPAddress.Loopback, port);
        }

        await stunnel.DisposeAsync();

        Assert.True(stunnel.HasExited);
        using var late = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => late.ConnectAsync(IPAddress.Loopback, port));
    }
}

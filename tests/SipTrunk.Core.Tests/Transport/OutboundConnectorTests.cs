using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Transport;

/// <summary>
/// <see cref="SipTransportService.ConnectAsync"/> toward a carrier: a second transport service plays the carrier, with
/// the carrier-1 certificate on a TLS listener that requires client certificates.
/// </summary>
public sealed class OutboundConnectorTests(TransportPki pki) : IClassFixture<TransportPki>
{
    [Fact]
    public async Task ConnectAsync_TrustedCarrier_VerifiesBothWaysAndCarriesMessagesBothWays()
    {
        await using var carrier = await StartCarrierAsync();
        await using var trunk = await StartTrunkAsync();

        var flow = await trunk.Service.ConnectAsync(Target(carrier), CancellationToken.None);

        Assert.Equal(SipTransportKind.Tls, flow.Transport);
        Assert.Equal("carrier-1", flow.OutboundKey);
        Assert.Contains("carrier-1", flow.Tls!.PeerIdentities);
        Assert.Equal(pki.Carrier.GetCertHashString(HashAlgorithmName.SHA256), flow.Tls.PeerCertificateSha256);
        Assert.Same(flow, trunk.Service.FindFlow(flow.Id));

        Assert.True(flow.TrySend(SipSamples.Options("out-1", "TLS")));
        var (request, inbound) = await carrier.Sink.NextMessageAsync();
        Assert.Equal("out-1", request.CallId);
        Assert.Contains("localhost", inbound.Tls!.PeerIdentities);

        Assert.True(inbound.TrySend(SipResponses.Create((SipRequest)request, 200, "OK", "c1").ToArray()));
        var (response, responseFlow) = await trunk.Sink.NextMessageAsync();
        Assert.Equal(200, Assert.IsType<SipResponse>(response).StatusCode);
        Assert.Same(flow, responseFlow);
    }

    [Fact]
    public async Task ConnectAsync_SameKeyAgainAndConcurrently_ReusesOneConnection()
    {
        await using var carrier = await StartCarrierAsync();
        await using var trunk = await StartTrunkAsync();
        var target = Target(carrier);

        var flows = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => trunk.Service.ConnectAsync(target, CancellationToken.None).AsTask()));
        var again = await trunk.Service.ConnectAsync(target, CancellationToken.None);

        Assert.All(flows, f => Assert.Same(flows[0], f));
        Assert.Same(flows[0], again);
        Assert.Equal(1, trunk.Service.ConnectionCount);
    }

    [Fact]
    public async Task ConnectAsync_AfterTheCarrierClosed_OpensANewConnection()
    {
        await using var carrier = await StartCarrierAsync();
        await using var trunk = await StartTrunkAsync();
        var target = Target(carrier);
        var first = await trunk.Service.ConnectAsync(target, CancellationToken.None);
        first.TrySend(SipSamples.Options("before", "TLS"));
        var (_, carrierSide) = await carrier.Sink.NextMessageAsync();

        carrierSide.Close("test");
        await trunk.Sink.WaitClosedAsync(first);
        var second = await trunk.Service.ConnectAsync(target, CancellationToken.None);

        Assert.NotSame(first, second);
        Assert.NotEqual(first.Id, second.Id);
        Assert.True(first.IsClosed);
        Assert.True(second.TrySend(SipSamples.Options("after", "TLS")));
        Assert.Equal("after", (await carrier.Sink.NextMessageAsync()).Message.CallId);
    }

    [Fact]
    public async Task ConnectAsync_IpLiteralWithoutServerName_MatchesTheIpSubjectAltName()
    {
        await using var carrier = await StartCarrierAsync();
        await using var trunk = await StartTrunkAsync();

        var flow = await trunk.Service.ConnectAsync(Target(carrier) with { TlsServerName = null }, CancellationToken.None);

        Assert.False(flow.IsClosed);
    }

    [Fact]
    public async Task ConnectAsync_MatchingPin_Connects()
    {
        await using var carrier = await StartCarrierAsync();
        await using var trunk = await StartTrunkAsync();
        var pin = pki.Carrier.GetCertHashString(HashAlgorithmName.SHA256);

        var flow = await trunk.Service.ConnectAsync(Target(carrier) with { Sha256Pin = pin }, CancellationToken.None);

        Assert.False(flow.IsClosed);
    }

    [Fact]
    public async Task ConnectAsync_CertificateForAnotherName_RefusedAsUnknownIdentity() =>
        await AssertRefusedAsync(t => t with { TlsServerName = "carrier-2" }, HandshakeFailureReason.UnknownIdentity, "carrier-2");

    [Fact]
    public async Task ConnectAsync_PinMismatch_RefusedAsUnknownIdentity() =>
        await AssertRefusedAsync(t => t with { Sha256Pin = new string('A', 64) }, HandshakeFailureReason.UnknownIdentity, "pin");

    [Fact]
    public async Task ConnectAsync_CarrierFromAnUntrustedCa_RefusedAsUntrusted() =>
        await AssertRefusedAsync(t => t with { TrustedCaCertificates = [pki.OtherCa] }, HandshakeFailureReason.Untrusted, "untrusted");

    [Fact]
    public async Task ConnectAsync_SystemTrustStore_DoesNotTrustTheDevelopmentCa() =>
        await AssertRefusedAsync(t => t with { TrustedCaCertificates = null }, HandshakeFailureReason.Untrusted, "untrusted");

    [Fact]
    public async Task ConnectAsync_NothingListening_ThrowsRefused()
    {
        await using var trunk = await StartTrunkAsync();
        var target = new OutboundTarget { Key = "nobody", Transport = SipTransportKind.Tls, Host = "127.0.0.1", Port = Wire.UnusedPort() };

        var error = await Assert.ThrowsAsync<SipTransportException>(() => trunk.Service.ConnectAsync(target, CancellationToken.None).AsTask());

        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("nobody", error.Message, StringComparison.Ordinal);
        Assert.Null(error.HandshakeFailure);
        Assert.Equal(0, trunk.Service.ConnectionCount);
    }

    [Fact]
    public async Task ConnectAsync_ServerNeverAnswersTheHandshake_ThrowsTimeout()
    {
        using var silent = Wire.ListenTcp();
        var settings = new TransportSettings { ConnectTimeout = TimeSpan.FromMilliseconds(300) };
        await using var trunk = await TransportHarness.StartAsync([], settings, pki.Tls());
        var target = new OutboundTarget
        {
            Key = "silent", Transport = SipTransportKind.Tls, Host = "127.0.0.1", Port = ((IPEndPoint)silent.LocalEndPoint!).Port,
        };

        var error = await Assert.ThrowsAsync<SipTransportException>(() => trunk.Service.ConnectAsync(target, CancellationToken.None).AsTask());

        Assert.Contains("timeout", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, trunk.Service.ConnectionCount);
    }

    [Fact]
    public async Task KeepAlive_PongArrives_FlowStaysAndPingsGoOn()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var server = Wire.ListenTcp();

        // A pong timeout many steps long, so advancing a little past the ping before the test sees it cannot expire it.
        var settings = new TransportSettings { KeepAliveInterval = TimeSpan.FromSeconds(30), KeepAlivePongTimeout = TimeSpan.FromSeconds(600) };
        await using var trunk = await TransportHarness.StartAsync([], settings, time: time);
        var (flow, accepted) = await ConnectToAsync(trunk, server);
        using var _ = accepted;

        await Wire.AdvanceUntilAsync(time, TimeSpan.FromSeconds(5), ReadPingAsync(accepted));
        await accepted.SendAsync((byte[])[.. "\r\n"u8, .. SipSamples.Options("proof-of-read")]);

        // The message comes after the pong on the wire: once it is delivered, the pong has been read.
        Assert.Equal("proof-of-read", (await trunk.Sink.NextMessageAsync()).Message.CallId);
        await Wire.AdvanceUntilAsync(time, TimeSpan.FromSeconds(30), ReadPingAsync(accepted));
        Assert.False(flow.IsClosed);
        Assert.Equal(0, trunk.Metrics.ConnectionsClosed.Get("keepalive-timeout"));
    }

    [Fact]
    public async Task KeepAlive_NoPong_ClosesTheFlow()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var server = Wire.ListenTcp();
        await using var trunk = await TransportHarness.StartAsync([], time: time);
        var (flow, accepted) = await ConnectToAsync(trunk, server);
        using var _ = accepted;

        await Wire.AdvanceUntilAsync(time, TimeSpan.FromSeconds(30), ReadPingAsync(accepted));
        await Wire.AdvanceUntilAsync(time, TimeSpan.FromSeconds(10), Wire.WaitForCloseAsync(accepted));

        await trunk.Sink.WaitClosedAsync(flow);
        Assert.Equal(1, trunk.Metrics.ConnectionsClosed.Get("keepalive-timeout"));
        Assert.Equal(0, trunk.Service.ConnectionCount);
    }

    private static async Task ReadPingAsync(Socket socket)
    {
        var ping = new byte[4];
        var read = 0;
        while (read < ping.Length)
        {
            var n = await socket.ReceiveAsync(ping.AsMemory(read));
            Assert.NotEqual(0, n);
            read += n;
        }

        Assert.Equal("\r\n\r\n"u8.ToArray(), ping);
    }

    /// <summary>An outbound TCP flow from <paramref name="trunk"/> to a raw server socket, and the server's end of it.</summary>
    private static async Task<(SipFlow Flow, Socket Accepted)> ConnectToAsync(TransportHarness trunk, Socket server)
    {
        var target = new OutboundTarget
        {
            Key = "tcp-carrier", Transport = SipTransportKind.Tcp, Host = "127.0.0.1", Port = ((IPEndPoint)server.LocalEndPoint!).Port,
        };
        var flow = await trunk.Service.ConnectAsync(target, CancellationToken.None);
        return (flow, await server.AcceptAsync().WaitAsync(Wire.Patience));
    }

    private async Task AssertRefusedAsync(Func<OutboundTarget, OutboundTarget> change, HandshakeFailureReason reason, string mentioned)
    {
        await using var carrier = await StartCarrierAsync();
        await using var trunk = await StartTrunkAsync();

        var error = await Assert.ThrowsAsync<SipTransportException>(
            () => trunk.Service.ConnectAsync(change(Target(carrier)), CancellationToken.None).AsTask());

        Assert.Equal(reason, error.HandshakeFailure);
        Assert.Contains("certificate", error.Message, StringComparison.Ordinal);
        Assert.Contains(mentioned, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, trunk.Metrics.TlsHandshakeFailures.Get(reason.ToLabel()));
        Assert.Equal(0, trunk.Service.ConnectionCount);
        Assert.Single(trunk.Log.Messages(2007));
    }

    private OutboundTarget Target(TransportHarness carrier) => new()
    {
        Key = "carrier-1",
        Transport = SipTransportKind.Tls,
        Host = "127.0.0.1",
        Port = carrier.EndPoint().Port,
        TlsServerName = "carrier-1",
        TrustedCaCertificates = new X509Certificate2Collection(pki.Ca),
    };

    private Task<TransportHarness> StartCarrierAsync() =>
        TransportHarness.StartAsync([TransportHarness.Tls("carrier-tls")], tls: pki.Tls(pki.Carrier));

    private Task<TransportHarness> StartTrunkAsync() => TransportHarness.StartAsync([], tls: pki.Tls());
}

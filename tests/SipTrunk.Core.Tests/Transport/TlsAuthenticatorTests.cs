using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Transport;

/// <summary>Inbound TLS handshakes on a listener: who gets in, and how refusals are counted and logged.</summary>
public sealed class TlsAuthenticatorTests(TransportPki pki) : IClassFixture<TransportPki>
{
    private const int HandshakeRefusedEvent = 2001;

    [Fact]
    public async Task AuthenticateAsServer_TrustedPeer_DeliversMessageWithSessionAndCarriesTheAnswer()
    {
        await using var harness = await StartAsync(ClientCertificateRequirement.Require);
        var (socket, tls, error) = await Wire.ConnectTlsAsync(harness.EndPoint(), pki.Ca, pki.Peer);
        using var _ = socket;
        await using var __ = tls;
        Assert.Null(error);

        await tls.WriteAsync(SipSamples.Options("mtls-1", "TLS"));
        var (message, flow) = await harness.Sink.NextMessageAsync();

        Assert.Equal("mtls-1", message.CallId);
        Assert.Equal(SipTransportKind.Tls, flow.Transport);
        Assert.Equal("tls", flow.ListenerName);
        var session = Assert.IsType<TlsSessionInfo>(flow.Tls);
        Assert.Equal(SslProtocols.Tls13, session.Protocol);
        Assert.Contains(session.CipherSuite, TlsSettings.DefaultCipherSuites);
        Assert.Equal(["pbx-a"], session.PeerIdentities);
        Assert.Equal("CN=pbx-a", session.PeerCertificateSubject);
        Assert.Equal(pki.Peer.GetCertHashString(HashAlgorithmName.SHA256), session.PeerCertificateSha256);

        var response = SipResponses.Create((SipRequest)message, 200, "OK", "to-1").ToArray();
        Assert.True(flow.TrySend(response));
        var answer = Assert.IsType<SipResponse>(await new FrameReader(tls).ReadMessageAsync());
        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("mtls-1", answer.CallId);
    }

    [Fact]
    public async Task AuthenticateAsServer_Tls12Client_NegotiatesAnAeadSuite()
    {
        await using var harness = await StartAsync(ClientCertificateRequirement.Require);
        var (socket, tls, error) = await Wire.ConnectTlsAsync(harness.EndPoint(), pki.Ca, pki.Peer, SslProtocols.Tls12);
        using var _ = socket;
        await using var __ = tls;
        Assert.Null(error);

        await tls.WriteAsync(SipSamples.Options("tls12", "TLS"));
        var (_, flow) = await harness.Sink.NextMessageAsync();

        Assert.Equal(SslProtocols.Tls12, flow.Tls!.Protocol);
        Assert.Contains(flow.Tls.CipherSuite, TlsSettings.DefaultCipherSuites);
        Assert.Equal(["pbx-a"], flow.Tls.PeerIdentities);
    }

    [Fact]
    public async Task AuthenticateAsServer_NoCertificateWhenRequired_RefusedAsNoCertificate() =>
        await AssertRefusedAsync(null, "no-certificate");

    [Fact]
    public async Task AuthenticateAsServer_CertificateFromAnotherCa_RefusedAsUntrusted() =>
        await AssertRefusedAsync(pki.OtherCaPeer, "untrusted");

    [Fact]
    public async Task AuthenticateAsServer_ExpiredCertificate_RefusedAsExpired() =>
        await AssertRefusedAsync(pki.ExpiredPeer, "expired");

    [Fact]
    public async Task AuthenticateAsServer_CertificateWithoutClientAuth_RefusedAsWrongUsage() =>
        await AssertRefusedAsync(pki.ServerAuthOnlyPeer, "wrong-usage");

    [Fact]
    public async Task AuthenticateAsServer_OptionalAndNoCertificate_AcceptedWithoutIdentity()
    {
        await using var harness = await StartAsync(ClientCertificateRequirement.Optional);
        var (socket, tls, error) = await Wire.ConnectTlsAsync(harness.EndPoint(), pki.Ca, null);
        using var _ = socket;
        await using var __ = tls;
        Assert.Null(error);

        await tls.WriteAsync(SipSamples.Options("anonymous", "TLS"));
        var (_, flow) = await harness.Sink.NextMessageAsync();

        Assert.NotNull(flow.Tls);
        Assert.Empty(flow.Tls.PeerIdentities);
        Assert.Null(flow.Tls.PeerCertificateSubject);
        Assert.Null(flow.Tls.PeerCertificateSha256);
    }

    [Fact]
    public async Task AuthenticateAsServer_OptionalAndUntrustedCertificate_RefusedAsUntrusted() =>
        await AssertRefusedAsync(pki.OtherCaPeer, "untrusted", ClientCertificateRequirement.Optional);

    [Fact]
    public async Task AuthenticateAsServer_Tls11OnlyClient_RefusedAsProtocol() =>
        await AssertRawHelloRefusedAsync(TlsClientHello.Build(TlsClientHello.Tls11, TlsClientHello.CbcSuites));

    [Fact]
    public async Task AuthenticateAsServer_Tls12ClientWithCbcSuitesOnly_RefusedAsProtocol() =>
        await AssertRawHelloRefusedAsync(TlsClientHello.Build(TlsClientHello.Tls12, TlsClientHello.CbcSuites));

    [Fact]
    public async Task AuthenticateAsServer_ClientNeverHandshakes_ClosedAsTimeout()
    {
        var settings = new TransportSettings { HandshakeTimeout = TimeSpan.FromMilliseconds(300) };
        await using var harness = await TransportHarness.StartAsync([TransportHarness.Tls()], settings, pki.Tls());
        using var socket = await Wire.ConnectTcpAsync(harness.EndPoint());

        await Wire.WaitForCloseAsync(socket);

        Assert.Equal(1, harness.Metrics.TlsHandshakeFailures.Get("timeout"));
        Assert.Contains("timeout", Assert.Single(harness.Log.Messages(HandshakeRefusedEvent)), StringComparison.Ordinal);
    }

    private Task<TransportHarness> StartAsync(ClientCertificateRequirement requirement) =>
        TransportHarness.StartAsync([TransportHarness.Tls("tls", requirement)], tls: pki.Tls());

    private async Task AssertRefusedAsync(
        X509Certificate2? clientCertificate, string reason, ClientCertificateRequirement requirement = ClientCertificateRequirement.Require)
    {
        await using var harness = await StartAsync(requirement);
        var (socket, tls, error) = await Wire.ConnectTlsAsync(harness.EndPoint(), pki.Ca, clientCertificate);
        using (socket)
        await using (tls)
        {
            await Wire.WaitForTlsCloseAsync(socket, tls, error);
        }

        AssertOnlyFailure(harness, reason);
        Assert.Equal(0, harness.Sink.PendingMessages);
        var line = Assert.Single(harness.Log.Messages(HandshakeRefusedEvent));
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", line, StringComparison.Ordinal);
        Assert.Contains("listener tls", line, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN CERTIFICATE", line, StringComparison.Ordinal);
    }

    private async Task AssertRawHelloRefusedAsync(byte[] clientHello)
    {
        await using var harness = await StartAsync(ClientCertificateRequirement.Require);
        using var socket = await Wire.ConnectTcpAsync(harness.EndPoint());

        await socket.SendAsync(clientHello);
        await Wire.WaitForCloseAsync(socket);

        AssertOnlyFailure(harness, "protocol");
    }

    private static void AssertOnlyFailure(TransportHarness harness, string reason)
    {
        var failure = Assert.Single(harness.Metrics.TlsHandshakeFailures.Snapshot());
        Assert.Equal(reason, failure.Key);
        Assert.Equal(1, failure.Value);
    }
}

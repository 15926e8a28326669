using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SipTrunk.Sip.Auth;
using SipTrunk.Sip.Headers;
using SipTrunk.Sip.Messages;
using SipTrunk.Testing;
using SipTrunk.Testing.Peers;
using SipTrunk.Testing.Pki;

namespace SipTrunk.IntegrationTests.Peers;

public sealed class BaresipProcessTests : IDisposable
{
    private const string Password = "baresip-secret";
    private const string Realm = "siptrunk-test";
    private const string Domain = "siptrunk.test";
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public Task StartAsync_RegistersOverTlsWithDigest_RingsForInviteOnTheSameConnection() =>
        WithRingingCallAsync(async (call, ct) =>
        {
            Assert.Equal(call.Ringing.CallId, call.CallId);
            Assert.Equal("INVITE", call.Ringing.CSeq?.Method);
            Assert.Equal(call.Peer.Name, call.Session.ClientCertificate?.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
            await call.Baresip.WaitForOutputAsync("Incoming call from", Step, ct);
        });

    [Fact]
    public Task SendCommandAsync_AcceptThenHangup_AnswersWithSdpAndSendsByeOnTheSameConnection() =>
        WithRingingCallAsync(async (call, ct) =>
        {
            var session = call.Session;
            await call.Baresip.SendCommandAsync("/accept", ct);
            var answer = await ReadFinalOrRingingAsync(session.Reader, ct);
            Assert.Equal(200, answer.StatusCode);
            var answerSdp = Encoding.ASCII.GetString(answer.Body.Span);
            Assert.Contains("RTP/AVP 0", answerSdp, StringComparison.Ordinal);
            var ack = SipMessageBuilder.Request("ACK", session.Binding.Address!.Uri.ToString())
                .Add(HeaderId.Via, $"SIP/2.0/TLS 127.0.0.1:{Port(call.Listener)};branch={ViaHeader.MagicCookie}{Guid.NewGuid():N}")
                .Add(HeaderId.MaxForwards, "70")
                .Add(HeaderId.From, "<sip:carrier@127.0.0.1>;tag=caller1")
                .Add(HeaderId.To, answer.GetFirstValueString(HeaderId.To)!)
                .Add(HeaderId.CallId, call.CallId)
                .Add(HeaderId.CSeq, "1 ACK");
            await SendAsync(session.Tls, ack, ct);
            await call.Baresip.WaitForEventAsync("CALL_ESTABLISHED", Step, ct);

            await call.Baresip.SendCommandAsync("/hangup", ct);
            var bye = Assert.IsType<SipRequest>(await session.Reader.ReadAsync(Step, ct));

            Assert.Equal("BYE", bye.MethodName);
            Assert.Equal(call.CallId, bye.CallId);
            await SendAsync(session.Tls, SipResponses.Create(bye, 200, "OK"), ct);
        });

    /// <summary>
    /// Starts baresip against an in-test TLS registrar, registers it, sends it an INVITE down its own connection and
    /// checks it rings (180); then runs <paramref name="body"/> on the ringing call. Any non-assertion failure carries
    /// baresip's config and output.
    /// </summary>
    private async Task WithRingingCallAsync(Func<RingingCall, CancellationToken, Task> body)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        var pki = TestPki.Create(_directory.Combine("pki"));
        var peer = pki.Peers[TestPki.DefaultPeer];
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        await using var baresip = await BaresipProcess.StartAsync(Options(pki, peer, listener), ct);
        try
        {
            var session = await AcceptAndRegisterAsync(listener, pki, peer, baresip, ct);
            await using var tls = session.Tls;
            using var rtp = LoopbackRtpSocket();
            var callId = await SendInviteAsync(session, listener, peer, rtp, ct);
            var ringing = await ReadFinalOrRingingAsync(session.Reader, ct);
            Assert.Equal(180, ringing.StatusCode);

            await body(new RingingCall(baresip, session, listener, peer, callId, ringing), ct);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{ex.Message}\n{baresip.Describe()}", ex);
        }
        finally
        {
            // Closing our side first makes baresip's un-REGISTER fail at once instead of waiting for an answer.
            listener.Stop();
        }
    }

    private static BaresipOptions Options(TestPki pki, CertificateFiles peer, TcpListener listener) => new()
    {
        ServerPort = Port(listener),
        Username = peer.Name,
        Password = Password,
        AorUser = peer.Name,
        AorDomain = Domain,
        ClientCertificatePemPath = peer.CertificatePath,
        ClientKeyPemPath = peer.PrivateKeyPath,
        CaPemPath = pki.CaCertificatePath,
        RegisterInterval = 120,
    };

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    private static Socket LoopbackRtpSocket()
    {
        var rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rtp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return rtp;
    }

    /// <summary>
    /// Accepts baresip's TLS connection (client certificate required and checked against the test CA), challenges its
    /// REGISTER with MD5 digest, verifies the answer and accepts the binding.
    /// </summary>
    private static async Task<RegisteredSession> AcceptAndRegisterAsync(
        TcpListener listener, TestPki pki, CertificateFiles peer, BaresipProcess baresip, CancellationToken ct)
    {
        var tcp = await listener.AcceptTcpClientAsync(ct).AsTask().WaitAsync(Step, ct);
        X509Certificate2? clientCertificate = null;
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = LoadServerCertificate(pki.Server),
                    ClientCertificateRequired = true,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    {
                        clientCertificate = certificate is null ? null : new X509Certificate2(certificate);
                        return clientCertificate is not null && ChainsTo(clientCertificate, pki.CaCertificatePath);
                    },
                },
                ct).WaitAsync(Step, ct);
            var reader = new SipStreamReader(tls);

            var first = Assert.IsType<SipRequest>(await reader.ReadAsync(Step, ct));
            Assert.Equal("REGISTER", first.MethodName);
            Assert.Equal("TLS", first.Via?.Transport);
            Assert.False(first.Contains(HeaderId.Authorization));
            var nonce = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
            await SendAsync(
                tls,
                SipResponses.Create(first, 401, "Unauthorized", "srv401")
                    .Add(HeaderId.WwwAuthenticate, $"Digest realm=\"{Realm}\", nonce=\"{nonce}\", algorithm=MD5, qop=\"auth\""),
                ct);

            var second = Assert.IsType<SipRequest>(await reader.ReadAsync(Step, ct));
            Assert.Equal("REGISTER", second.MethodName);
            Assert.True(
                DigestCredentials.TryParse(second.GetFirstValueString(HeaderId.Authorization), out var credentials, out var error),
                error);
            Assert.Equal(peer.Name, credentials.Username);
            Assert.Equal(Realm, credentials.Realm);
            Assert.Equal(nonce, credentials.Nonce);
            var expected = DigestMath.ComputeResponse(
                DigestAlgorithm.Md5,
                DigestMath.ComputeHa1(DigestAlgorithm.Md5, peer.Name, Realm, Password),
                nonce,
                credentials.NonceCount,
                credentials.Cnonce,
                credentials.Qop,
                DigestMath.ComputeHa2(DigestAlgorithm.Md5, "REGISTER", credentials.Uri!));
            Assert.True(DigestMath.FixedTimeEqualsHex(expected, credentials.Response), "digest response does not verify");

            var contact = second.GetFirstValueString(HeaderId.Contact);
            Assert.True(ContactValue.TryParse(contact, out var binding, out error), error);
            await SendAsync(
                tls,
                SipResponses.Create(second, 200, "OK", "srv200").Add(HeaderId.Contact, contact!).Add(HeaderId.Expires, "120"),
                ct);
            await baresip.WaitForRegisteredAsync(Step, ct);
            return new RegisteredSession(tls, reader, binding, clientCertificate);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends an INVITE with a PCMU offer to the registered Contact down the connection baresip opened.</summary>
    private static async Task<string> SendInviteAsync(
        RegisteredSession session, TcpListener listener, CertificateFiles peer, Socket rtp, CancellationToken ct)
    {
        var callId = $"{Guid.NewGuid():N}@127.0.0.1";
        var sdp = string.Create(
            CultureInfo.InvariantCulture,
            $"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {((IPEndPoint)rtp.LocalEndPoint!).Port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n");
        var invite = SipMessageBuilder.Request("INVITE", session.Binding.Address!.Uri.ToString())
            .Add(HeaderId.Via, $"SIP/2.0/TLS 127.0.0.1:{Port(listener)};branch={ViaHeader.MagicCookie}{Guid.NewGuid():N}")
            .Add(HeaderId.MaxForwards, "70")
            .Add(HeaderId.From, "<sip:carrier@127.0.0.1>;tag=caller1")
            .Add(HeaderId.To, $"<sip:{peer.Name}@{Domain}>")
            .Add(HeaderId.CallId, callId)
            .Add(HeaderId.CSeq, "1 INVITE")
            .Add(HeaderId.Contact, $"<sip:carrier@127.0.0.1:{Port(listener)};transport=tls>")
            .Add(HeaderId.ContentType, "application/sdp");
        invite.Body = Encoding.ASCII.GetBytes(sdp);
        await SendAsync(session.Tls, invite, ct);
        return callId;
    }

    private static async Task<SipResponse> ReadFinalOrRingingAsync(SipStreamReader reader, CancellationToken ct)
    {
        SipResponse response;
        do
        {
            response = Assert.IsType<SipResponse>(await reader.ReadAsync(Step, ct));
        }
        while (response.StatusCode == 100);

        return response;
    }

    private static async Task SendAsync(SslStream tls, SipMessageBuilder message, CancellationToken cancellationToken)
    {
        await tls.WriteAsync(message.ToArray(), cancellationToken);
        await tls.FlushAsync(cancellationToken);
    }

    private static X509Certificate2 LoadServerCertificate(CertificateFiles files)
    {
        // SslStream on Linux wants a certificate whose key is not ephemeral; a PKCS#12 round trip gives it one.
        using var pem = X509Certificate2.CreateFromPemFile(files.CertificatePath, files.PrivateKeyPath);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static bool ChainsTo(X509Certificate2 certificate, string caCertificatePath)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificateFromFile(caCertificatePath));
        return chain.Build(certificate);
    }
}

using SipTrunk.Testing;
using SipTrunk.Testing.Peers;
using SipTrunk.Testing.Pki;

namespace SipTrunk.IntegrationTests.Proxy;

/// <summary>
/// The peer listener's TLS and request hygiene through the real process: bad certificates and old protocols are
/// refused at the handshake, a trusted stranger gets 403, malformed requests get 400 on a connection that keeps
/// serving, and a good call still succeeds afterwards.
/// </summary>
public sealed class ProxyTlsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static string Options(int port, string branch, string cseq = "1 OPTIONS") =>
        $"OPTIONS sip:localhost:{port} SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bK-{branch}\r\nMax-Forwards: 70\r\n"
        + $"From: <sip:pbx-a@localhost>;tag=t-{branch}\r\nTo: <sip:localhost>\r\nCall-ID: {branch}@test\r\nCSeq: {cseq}\r\nContent-Length: 0\r\n\r\n";

    private static async Task<ProxyFixture> StartAsync(int handshakeTimeoutSeconds = 5)
    {
        var world = new ProxyFixture("carrier-1");
        var carrier = await world.StartCarrierAsync("carrier-1", SippScenarios.Uas);
        var config = world.NewConfig();
        config = new ProxyTestConfig
        {
            ListenerPort = config.ListenerPort,
            CaPath = config.CaPath,
            ServerCertificatePath = config.ServerCertificatePath,
            ServerKeyPath = config.ServerKeyPath,
            DataDirectory = config.DataDirectory,
            HandshakeTimeoutSeconds = handshakeTimeoutSeconds,
        };
        config.Peers.Add(ProxyTestConfig.Peer(ProxyFixture.Peer));
        config.Carriers.Add(ProxyTestConfig.Carrier("carrier-1", carrier.TlsPort));
        config.Routes.Add(ProxyTestConfig.Route("", "carrier-1"));
        await world.StartSipTrunkAsync(config);
        return world;
    }

    private static async Task<bool> IsRefusedAsync(ProxyFixture world, CertificateFiles? certificate)
    {
        try
        {
            var port = world.ListenerPort;
            await using var client = await TlsSipClient.ConnectAsync(port, certificate, world.Pki.CaCertificatePath);
            // TLS 1.3 finishes the client's side before the server has checked the certificate: the refusal shows as a close.
            await client.SendAsync(Options(port, "refused-" + Guid.NewGuid().ToString("N")));
            return await client.ReadMessageAsync(TimeSpan.FromSeconds(10)) is null;
        }
        catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException)
        {
            return true;
        }
    }

    private static async Task AssertGoodCallAsync(ProxyFixture world)
    {
        var peer = await world.StartPeerAsync();
        var result = await ProxyFixture.RunCallsAsync(peer, SippScenarios.Uac, calls: 1, callsPerSecond: 1, Bound);
        Assert.True(result.ExitCode == 0, world.Describe(result));
    }

    [Fact]
    public async Task Handshake_BadClientCertificates_RefusedWithReasonAndNextCallSucceeds()
    {
        await using var world = await StartAsync();
        Assert.True(await IsRefusedAsync(world, null), "no certificate accepted");
        Assert.True(await IsRefusedAsync(world, world.Pki.OtherCaPeer), "other CA accepted");
        Assert.True(await IsRefusedAsync(world, world.Pki.ExpiredPeer), "expired certificate accepted");
        Assert.True(await IsRefusedAsync(world, world.Pki.ServerAuthOnlyPeer), "serverAuth-only certificate accepted");

        var sipTrunk = world.SipTrunk!;
        foreach (var reason in new[] { "refused: no-certificate", "refused: untrusted", "refused: expired", "refused: wrong-usage" })
        {
            Assert.True(await sipTrunk.WaitForOutputAsync(reason, Bound), $"no log line with '{reason}'\n{world.Describe()}");
        }

        Assert.False(sipTrunk.HasExited);
        await AssertGoodCallAsync(world);
    }

    [Fact]
    public async Task Handshake_Tls11_RefusedAndNextCallSucceeds()
    {
        await using var world = await StartAsync();
        var peer = world.Pki.Peers[ProxyFixture.Peer];

        // SECLEVEL=0 lets this OpenSSL offer TLS 1.1 at all, so the refusal is the server's.
        var result = await ProcessRunner.RunAsync(
            "openssl",
            ["s_client", "-connect", $"127.0.0.1:{world.ListenerPort}", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-cert", peer.CertificatePath, "-key", peer.PrivateKeyPath],
            standardInput: "",
            timeout: Bound);

        Assert.NotEqual(0, result.ExitCode);
        // No session: openssl prints the attempted version but no cipher.
        Assert.Contains("Cipher is (NONE)", result.StandardOutput, StringComparison.Ordinal);
        Assert.True(await world.SipTrunk!.WaitForOutputAsync("refused: protocol", Bound), world.Describe());
        await AssertGoodCallAsync(world);
    }

    [Fact]
    public async Task Request_TrustedCertificateOfNoPeer_Gets403()
    {
        await using var world = await StartAsync();
        await using var client = await TlsSipClient.ConnectAsync(world.ListenerPort, world.Pki.Peers["stranger"], world.Pki.CaCertificatePath);

        await client.SendAsync(Options(world.ListenerPort, "stranger-1"));

        var response = await client.ReadMessageAsync(Bound);
        Assert.NotNull(response);
        Assert.StartsWith("SIP/2.0 403 ", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_Malformed_Gets400WithReasonAndConnectionKeepsServing()
    {
        await using var world = await StartAsync();
        await using var client = await TlsSipClient.ConnectAsync(world.ListenerPort, world.Pki.Peers[ProxyFixture.Peer], world.Pki.CaCertificatePath);

        await client.SendAsync(Options(world.ListenerPort, "bad-1", cseq: "one OPTIONS"));
        var bad = await client.ReadMessageAsync(Bound);
        await client.SendAsync(Options(world.ListenerPort, "good-1"));
        var good = await client.ReadMessageAsync(Bound);

        Assert.NotNull(bad);
        Assert.StartsWith("SIP/2.0 400 ", bad, StringComparison.Ordinal);
        Assert.Contains("CSeq", bad.Split("\r\n")[0], StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(good);
        Assert.StartsWith("SIP/2.0 200 ", good, StringComparison.Ordinal);
        Assert.Contains("Call-ID: good-1@test", good, StringComparison.Ordinal);
    }
}

using System.Text.Json.Nodes;
using SipTrunk.Core.Certificates;
using SipTrunk.IntegrationTests.Proxy;
using SipTrunk.Testing;
using SipTrunk.Testing.Peers;
using SipTrunk.Testing.Pki;

namespace SipTrunk.IntegrationTests.Reload;

/// <summary>
/// Certificates, CRLs and configuration reloaded in the real process: by file change and by SIGHUP, without dropping
/// established connections; bad files and invalid configurations refused with the running ones kept.
/// </summary>
public sealed class ReloadTests
{
    private static string Options(int port, string branch) =>
        $"OPTIONS sip:localhost:{port} SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bK-{branch}\r\nMax-Forwards: 70\r\n"
        + $"From: <sip:test@localhost>;tag=t-{branch}\r\nTo: <sip:localhost>\r\nCall-ID: {branch}@test\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";

    /// <summary>The status line SipTrunk answers an OPTIONS with over a fresh connection as <paramref name="certificate"/>; null when refused.</summary>
    private static async Task<string?> OptionsStatusAsync(ReloadWorld world, CertificateFiles certificate)
    {
        try
        {
            await using var client = await TlsSipClient.ConnectAsync(world.Fixture.ListenerPort, certificate, world.Pki.CaCertificatePath);

            // TLS 1.3 finishes the client's side before the server has judged its certificate: a refusal shows as a close.
            await client.SendAsync(Options(world.Fixture.ListenerPort, Guid.NewGuid().ToString("N")));
            var response = await client.ReadMessageAsync(ReloadWorld.Bound);
            return response?[..response.IndexOf('\r', StringComparison.Ordinal)];
        }
        catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException)
        {
            return null;
        }
    }

    private static async Task<SippResult> CallAsync(ReloadWorld world, StunnelProcess peer) =>
        await ProxyFixture.RunCallsAsync(peer, SippScenarios.Uac, calls: 1, callsPerSecond: 1, ReloadWorld.Bound);

    [Fact]
    public async Task CertificateRotated_CallUp_CallCompletesAndNewHandshakesSeeNewCertificate()
    {
        await using var world = await ReloadWorld.StartAsync();
        var before = await world.PresentedFingerprintAsync();
        Assert.Equal(ReloadWorld.Fingerprint(world.Live), before);
        var peer = await world.Fixture.StartPeerAsync();

        // The call stays up 8 s after its 200: the rotation below happens inside that window.
        await using var caller = await SippProcess.StartAsync(
            SippOptions.Client(SippScenarios.UacHold, peer.AcceptPort, calls: 1, callsPerSecond: 1) with { ExtraArguments = ["-d", "8000"] });
        await world.ExpectLogAsync("answered by carrier-1");
        var renewed = world.Pki.Issue("server-renewed", CertificateRequestSpec.ForServer());
        world.ReplaceCertificate(renewed);

        // No SIGHUP: the file watcher sees the rename.
        await world.ExpectLogAsync("new handshakes now present");
        var after = await world.PresentedFingerprintAsync();
        var result = await caller.WaitForExitAsync(ReloadWorld.Bound);

        Assert.Equal(ReloadWorld.Fingerprint(renewed), after);
        Assert.NotEqual(before, after);
        Assert.True(result.ExitCode == 0, world.Describe(result));
        Assert.Equal(1, result.Statistics?.SuccessfulCalls);
        Assert.DoesNotContain("TLS reload refused", world.SipTrunk.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateReplacedBadly_Sighup_RefusedWithFileAndReasonAndOldCertificateStays()
    {
        await using var world = await ReloadWorld.StartAsync();
        var before = await world.PresentedFingerprintAsync();

        // A new certificate with the old key: the classic half-done rotation.
        var renewed = world.Pki.Issue("server-renewed", CertificateRequestSpec.ForServer());
        ReloadWorld.ReplaceFile(world.Live.CertificatePath, File.ReadAllBytes(renewed.CertificatePath));
        await world.SighupAsync();

        await world.ExpectLogAsync($"TLS reload refused: Tls.PrivateKey: {world.Live.PrivateKeyPath}: does not match the certificate");
        Assert.Equal(before, await world.PresentedFingerprintAsync());

        // An expired certificate with its own key is refused too, saying so.
        var now = DateTimeOffset.UtcNow;
        var expired = world.Pki.Issue("server-expired", CertificateRequestSpec.ForServer() with { NotBefore = now.AddDays(-30), NotAfter = now.AddDays(-1) });
        world.ReplaceCertificate(expired);
        await world.SighupAsync();

        await world.ExpectLogAsync("TLS reload refused: Tls.Certificate: expired on ");
        Assert.Equal(before, await world.PresentedFingerprintAsync());
        Assert.Equal("SIP/2.0 200 OK", await OptionsStatusAsync(world, world.Pki.Peers[ProxyFixture.Peer]));
    }

    [Fact]
    public async Task CrlRevokesPeer_Sighup_PeerRefusedAtHandshakeAsRevoked()
    {
        await using var world = await ReloadWorld.StartAsync(withRevocationList: true);
        var peer = world.Pki.Peers[ProxyFixture.Peer];
        Assert.Equal("SIP/2.0 200 OK", await OptionsStatusAsync(world, peer));

        var revoking = world.Pki.WriteRevocationList("revoking.crl", [peer], crlNumber: 2);
        ReloadWorld.ReplaceFile(world.RevocationListPath, File.ReadAllBytes(revoking));
        await world.SighupAsync();
        await world.ExpectLogAsync("and 1 revocation list(s)");

        Assert.Null(await OptionsStatusAsync(world, peer));
        await world.ExpectLogAsync("refused: revoked");
        Assert.Contains("reason=\"revoked\"} 1", await world.MetricsAsync(), StringComparison.Ordinal);

        // The list names one certificate: another from the same CA still gets through the handshake (and a 403 as no peer).
        Assert.Equal("SIP/2.0 403 Forbidden", await OptionsStatusAsync(world, world.Pki.Peers["stranger"]));
    }

    [Fact]
    public async Task ConfigEdited_RouteAndPeerAddedLive_InvalidEditRefusedWithKey()
    {
        await using var world = await ReloadWorld.StartAsync(withDefaultRoute: false);
        var peer = await world.Fixture.StartPeerAsync();
        var noRoute = await CallAsync(world, peer);
        Assert.NotEqual(0, noRoute.ExitCode);
        Assert.Equal("SIP/2.0 403 Forbidden", await OptionsStatusAsync(world, world.Pki.Peers["stranger"]));

        world.EditConfig(settings =>
        {
            settings["Routes"]!.AsArray().Add(ProxyTestConfig.Route("", "carrier-1"));
            settings["Peers"]!.AsArray().Add(ProxyTestConfig.Peer("stranger"));
            settings["DrainSeconds"] = 7;
        });
        await world.ExpectLogAsync("Configuration reloaded (file change): 2 peer(s), 1 carrier(s), 2 route(s)");
        await world.ExpectLogAsync("DrainSeconds changed, which needs a restart");

        var routed = await CallAsync(world, peer);
        Assert.True(routed.ExitCode == 0, world.Describe(routed));
        Assert.Equal("SIP/2.0 200 OK", await OptionsStatusAsync(world, world.Pki.Peers["stranger"]));

        // Two mistakes at once: both are named, and nothing of the edit is applied.
        world.EditConfig(settings =>
        {
            settings["Routes"]!.AsArray().Add(ProxyTestConfig.Route("+1", "no-such-carrier"));
            settings["Peers"]!.AsArray().RemoveAt(1);
            settings["Peers"]![0]!["MaxConcurrentCalls"] = -5;
        });
        await world.ExpectLogAsync("Configuration reload refused: Routes[2].Carriers[0]");
        await world.ExpectLogAsync("Configuration reload refused: Peers[0].MaxConcurrentCalls");
        await world.ExpectLogAsync("refused (2 problem(s)); the running configuration stays");
        Assert.Equal("SIP/2.0 200 OK", await OptionsStatusAsync(world, world.Pki.Peers["stranger"]));
        var stillRouted = await CallAsync(world, peer);
        Assert.True(stillRouted.ExitCode == 0, world.Describe(stillRouted));
    }

    // The default (TLS 1.2 and 1.3, resumed as TLS 1.3), a client limited to TLS 1.2 (its session cache), and TLS 1.3 alone.
    [Theory]
    [InlineData("Tls12", "", "TLSv1.3")]
    [InlineData("Tls12", "-tls1_2", "TLSv1.2")]
    [InlineData("Tls13", "", "TLSv1.3")]
    public async Task SessionResumption_ByDefault_OpensslSessionReusedUntilCertificateReload(string minProtocol, string clientProtocol, string expected)
    {
        await using var world = await ReloadWorld.StartAsync(tweak: settings => settings["Tls"]!["MinProtocol"] = minProtocol);
        var peer = world.Pki.Peers[ProxyFixture.Peer];
        var session = world.Fixture.Directory.Combine("session.pem");

        var first = await OpensslAsync(world, peer, clientProtocol, "-sess_out", session);
        var resumed = await OpensslAsync(world, peer, clientProtocol, "-sess_in", session);

        Assert.Contains("New, " + expected, first, StringComparison.Ordinal);
        Assert.Contains("Reused, " + expected, resumed, StringComparison.Ordinal);
        Assert.DoesNotContain("session resumption is inactive", world.SipTrunk.Output, StringComparison.OrdinalIgnoreCase);

        // A reload starts a new ticket key: the old session is not resumed with the new certificate.
        world.ReplaceCertificate(world.Pki.Issue("server-renewed", CertificateRequestSpec.ForServer()));
        await world.SighupAsync();
        await world.ExpectLogAsync("new handshakes now present");
        var afterReload = await OpensslAsync(world, peer, clientProtocol, "-sess_in", session);
        Assert.Contains("New, " + expected, afterReload, StringComparison.Ordinal);
    }

    private static async Task<string> OpensslAsync(ReloadWorld world, CertificateFiles peer, string protocol, string sessionOption, string sessionFile)
    {
        // Standard input stays open a moment (sleep) so the client reads the NewSessionTicket that follows the handshake.
        var result = await ProcessRunner.RunAsync(
            "sh",
            ["-c", "sleep 1 | openssl s_client -connect \"$0\" -servername localhost -cert \"$1\" -key \"$2\" -CAfile \"$3\" \"$4\" \"$5\" $6",
                $"127.0.0.1:{world.Fixture.ListenerPort}", peer.CertificatePath, peer.PrivateKeyPath, world.Pki.CaCertificatePath, sessionOption, sessionFile, protocol],
            timeout: ReloadWorld.Bound);
        return result.StandardOutput;
    }
}

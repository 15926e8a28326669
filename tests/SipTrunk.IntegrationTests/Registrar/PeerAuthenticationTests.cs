using System.Text.RegularExpressions;
using SipTrunk.IntegrationTests.Proxy;
using SipTrunk.Sip.Messages;
using SipTrunk.Testing.Peers;

namespace SipTrunk.IntegrationTests.Registrar;

/// <summary>
/// Issue 4 must-shows against the real process over real mTLS: wrong passwords lead to a ban, replays and foreign
/// credentials are refused, stale nonces are re-challenged, and no secret reaches the log.
/// </summary>
public sealed partial class PeerAuthenticationTests
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task Register_WrongPassword_ChallengedAgainThenBannedUntilTheBanExpires()
    {
        await using var fixture = new ProxyFixture();
        var log = fixture.Directory.Combine("siptrunk.log");
        var config = fixture.NewConfig() with { AuthFailuresBeforeBan = 3, BanSeconds = 3, LogFile = log, LogLevel = "Debug" };
        config.Peers.Add(config.DigestPeer(ProxyFixture.Peer, Password));
        await fixture.StartSipTrunkAsync(config);

        var peer = await ConnectAsync(fixture);
        var sent = new List<string>();
        try
        {
            var challenge = await peer.RegisterAsync();
            Assert.Equal(401, challenge?.StatusCode);
            var challenges = SipTestPeer.Values(challenge!, HeaderId.WwwAuthenticate);
            Assert.Equal(2, challenges.Count);
            Assert.Contains("algorithm=SHA-256", challenges[0], StringComparison.Ordinal);
            Assert.Contains("algorithm=MD5", challenges[1], StringComparison.Ordinal);
            Assert.Contains("qop=\"auth\"", challenges[0], StringComparison.Ordinal);

            // Failures 1 and 2 are challenged again; failure 3 starts the ban and the connection closes.
            for (var failure = 1; failure <= 3; failure++)
            {
                var response = await peer.RegisterAsync(peer.Answer(challenge!, "REGISTER", "sip:localhost", ProxyFixture.Peer, "wrong password"));
                if (failure < 3)
                {
                    Assert.Equal(401, response?.StatusCode);
                    challenge = response;
                }
                else
                {
                    // The third 401 may or may not beat the close; after it the connection must be gone.
                    if (response is not null)
                    {
                        Assert.Equal(401, response.StatusCode);
                        Assert.Null(await peer.ReadResponseAsync());
                    }
                }
            }
        }
        finally
        {
            sent.AddRange(peer.SentCredentials);
            await peer.DisposeAsync();
        }

        // Banned: a new connection is closed at accept, before any TLS.
        Assert.False(await CanRegisterAsync(fixture, sent), "a banned source must be refused\n" + fixture.Describe());
        Assert.Contains("Banned 127.0.0.1", await File.ReadAllTextAsync(log), StringComparison.Ordinal);

        // After BanSeconds the same source is served again and the right password works.
        var served = false;
        for (var attempt = 0; attempt < 40 && !served; attempt++)
        {
            await Task.Delay(250);
            served = await CanRegisterAsync(fixture, sent);
        }

        Assert.True(served, "the ban must end after BanSeconds\n" + fixture.Describe());
        await AssertNoSecretsAsync(log, sent, config);
    }

    [Fact]
    public async Task Register_ReplayedAuthorization_IsRefused()
    {
        await using var fixture = new ProxyFixture();
        var log = fixture.Directory.Combine("siptrunk.log");
        var config = fixture.NewConfig() with { LogFile = log, LogLevel = "Debug" };
        config.Peers.Add(config.DigestPeer(ProxyFixture.Peer, Password));
        await fixture.StartSipTrunkAsync(config);
        await using var peer = await ConnectAsync(fixture);

        var challenge = await peer.RegisterAsync();
        Assert.Equal(401, challenge?.StatusCode);
        var credentials = peer.Answer(challenge!, "REGISTER", "sip:localhost", ProxyFixture.Peer, Password);
        Assert.Equal(200, (await peer.RegisterAsync(credentials))?.StatusCode);

        // The same nonce with the same nc again: a replay, refused with a fresh challenge.
        var replay = await peer.RegisterAsync(credentials);
        Assert.Equal(401, replay?.StatusCode);
        Assert.DoesNotContain(SipTestPeer.Values(replay!, HeaderId.WwwAuthenticate), c => c.Contains("stale=true", StringComparison.Ordinal));
        await AssertNoSecretsAsync(log, peer.SentCredentials, config);
    }

    [Fact]
    public async Task Register_StaleNonce_GetsStaleTrueAndAFreshChallengeThatSucceeds()
    {
        await using var fixture = new ProxyFixture();
        var config = fixture.NewConfig() with { NonceLifetimeSeconds = 2 };
        config.Peers.Add(config.DigestPeer(ProxyFixture.Peer, Password));
        await fixture.StartSipTrunkAsync(config);
        await using var peer = await ConnectAsync(fixture);

        var challenge = await peer.RegisterAsync();
        Assert.Equal(401, challenge?.StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        // Right password, expired nonce: stale=true, not a failure.
        var stale = await peer.RegisterAsync(peer.Answer(challenge!, "REGISTER", "sip:localhost", ProxyFixture.Peer, Password));
        Assert.Equal(401, stale?.StatusCode);
        Assert.All(SipTestPeer.Values(stale!, HeaderId.WwwAuthenticate), c => Assert.Contains("stale=true", c, StringComparison.Ordinal));

        var fresh = await peer.RegisterAsync(peer.Answer(stale!, "REGISTER", "sip:localhost", ProxyFixture.Peer, Password));
        Assert.Equal(200, fresh?.StatusCode);
    }

    [Fact]
    public async Task Register_AnotherPeersCredentialsOnThisCertificate_Forbidden()
    {
        await using var fixture = new ProxyFixture();
        var config = fixture.NewConfig();
        config.Peers.Add(config.DigestPeer(ProxyFixture.Peer, Password));
        config.Peers.Add(config.DigestPeer("pbx-b", "pbx-b's own password"));
        await fixture.StartSipTrunkAsync(config);
        await using var peer = await ConnectAsync(fixture);

        // pbx-a's certificate, pbx-b's valid username and password: the certificate decides who this is.
        var challenge = await peer.RegisterAsync();
        Assert.Equal(401, challenge?.StatusCode);
        var response = await peer.RegisterAsync(peer.Answer(challenge!, "REGISTER", "sip:localhost", "pbx-b", "pbx-b's own password"));
        Assert.Equal(403, response?.StatusCode);

        // Its own credentials still work on the same connection.
        Assert.Equal(200, (await peer.RegisterWithPasswordAsync(Password))?.StatusCode);
    }

    internal static async Task<SipTestPeer> ConnectAsync(ProxyFixture fixture) =>
        await SipTestPeer.ConnectAsync(fixture.ListenerPort, fixture.Pki.Peers[ProxyFixture.Peer], fixture.Pki.CaCertificatePath, ProxyFixture.Peer);

    /// <summary>CONTRACT.md §6: the log holds no password, HA1 or digest response value, whatever the level.</summary>
    internal static async Task AssertNoSecretsAsync(string logPath, IEnumerable<string> sentCredentials, ProxyTestConfig config)
    {
        var log = await File.ReadAllTextAsync(logPath);
        Assert.NotEmpty(log);
        Assert.DoesNotContain(Password, log, StringComparison.Ordinal);
        foreach (var peer in config.Peers)
        {
            if (peer["Digest"] is { } digest)
            {
                foreach (var key in new[] { "Ha1Sha256", "Ha1Md5" })
                {
                    if ((string?)digest[key] is { } ha1)
                    {
                        Assert.DoesNotContain(ha1, log, StringComparison.OrdinalIgnoreCase);
                    }
                }
            }
        }

        // No digest response of any client at all (baresip's included, which the test cannot see).
        Assert.DoesNotMatch(ResponseParameter(), log);
        foreach (var credentials in sentCredentials)
        {
            var response = ResponseParameter().Match(credentials);
            Assert.True(response.Success, credentials);
            Assert.DoesNotContain(response.Groups[1].Value, log, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task<bool> CanRegisterAsync(ProxyFixture fixture, List<string> sent)
    {
        try
        {
            await using var peer = await ConnectAsync(fixture);
            var response = await peer.RegisterWithPasswordAsync(Password);
            sent.AddRange(peer.SentCredentials);
            return response?.StatusCode == 200;
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }

    [GeneratedRegex("response=\"([0-9a-fA-F]+)\"")]
    private static partial Regex ResponseParameter();
}

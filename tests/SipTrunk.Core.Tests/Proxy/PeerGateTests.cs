using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using SipTrunk.Core.Auth;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Registrar;
using SipTrunk.Core.Tests.Registrar;
using SipTrunk.Core.Tests.Transactions;
using SipTrunk.Sip.Auth;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Proxy;

/// <summary>The proxy's checks on a peer's requests (CONTRACT.md §3), through the real transaction layer.</summary>
public sealed class PeerGateTests : IDisposable
{
    private const string Realm = "trunk.example.net";
    private const string Password = "s3cret";
    private readonly List<IPAddress> _disconnected = [];
    private ProxyHarness? _harness;

    [Fact]
    public void Request_FromOutsideAllowedNetworks_Forbidden()
    {
        var harness = Start(ProxyTestData.Peer with { AllowedNetworks = [IpNetwork.Parse("10.0.0.0/8")] });

        harness.FromPeer(SipText.ParseRequest(SipText.Request("INVITE", "z9hG4bK-acl-1")));

        Assert.Equal(403, harness.PeerResponses()[^1].StatusCode);
        Assert.Equal(1, harness.Metrics.RequestsRefused.Get("acl"));
        Assert.Empty(harness.ReceivedBy("carrier-1"));
    }

    [Fact]
    public void Invite_WithoutCredentials_Gets407WithOneChallengePerHa1()
    {
        var harness = Start(ProxyTestData.Peer with { Credentials = Credentials(sha256: false) });

        harness.FromPeer(SipText.ParseRequest(SipText.Request("INVITE", "z9hG4bK-auth-1")));

        var challenge = harness.PeerResponses()[^1];
        Assert.Equal(407, challenge.StatusCode);
        var offered = SipText.Headers(challenge, HeaderId.ProxyAuthenticate);
        Assert.Single(offered);
        Assert.Contains("algorithm=MD5", offered[0], StringComparison.Ordinal);
        Assert.Empty(harness.ReceivedBy("carrier-1"));
    }

    [Fact]
    public void Register_WrongPasswordUntilTheLimit_BansAndDisconnectsTheSource()
    {
        var harness = Start(ProxyTestData.Peer with { Credentials = Credentials() }, failuresBeforeBan: 2);

        for (var i = 1; i <= 2; i++)
        {
            harness.FromPeer(SipText.ParseRequest(Register(i, "z9hG4bK-reg-" + i, Authorization(harness, "wrong"))));
            Assert.Equal(401, harness.PeerResponses()[^1].StatusCode);
        }

        Assert.Equal([IPAddress.Loopback], _disconnected);
        Assert.Equal(1, harness.Metrics.RequestsRefused.Get("banned"));
    }

    [Fact]
    public void Register_RightPassword_BindsTheContactToThisFlow()
    {
        var harness = Start(ProxyTestData.Peer with { Credentials = Credentials() });

        harness.FromPeer(SipText.ParseRequest(Register(1, "z9hG4bK-reg-ok", Authorization(harness, Password))));

        var ok = harness.PeerResponses()[^1];
        Assert.Equal(200, ok.StatusCode);
        Assert.Contains("sip:pbx-a@192.0.2.10:5061", SipText.Headers(ok, HeaderId.Contact)[0], StringComparison.Ordinal);
        Assert.Equal(harness.PeerFlow.Id, Assert.Single(harness.Proxy.Peers.Locations!.Lookup("pbx-a")).FlowId);
    }

    [Fact]
    public void Register_PeerCredentialsOfAnotherUser_Forbidden()
    {
        var harness = Start(ProxyTestData.Peer with { Credentials = Credentials() });

        harness.FromPeer(SipText.ParseRequest(Register(1, "z9hG4bK-reg-x", Authorization(harness, Password, user: "pbx-b"))));

        Assert.Equal(403, harness.PeerResponses()[^1].StatusCode);
        Assert.Empty(harness.Proxy.Peers.Locations!.Lookup("pbx-a"));
    }

    public void Dispose() => _harness?.Dispose();

    private static PeerCredentials Credentials(bool sha256 = true) => new(
        "pbx-a",
        sha256 ? DigestMath.ComputeHa1(DigestAlgorithm.Sha256, "pbx-a", Realm, Password) : null,
        DigestMath.ComputeHa1(DigestAlgorithm.Md5, "pbx-a", Realm, Password));

    private static string Register(int cseq, string branch, string? authorization) =>
        "REGISTER sip:trunk.example.net SIP/2.0\r\n"
        + $"Via: SIP/2.0/TLS 192.0.2.10:5061;branch={branch}\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:pbx-a@trunk.example.net>;tag=r1\r\n"
        + "To: <sip:pbx-a@trunk.example.net>\r\n"
        + "Call-ID: reg-1@pbx\r\n"
        + $"CSeq: {cseq} REGISTER\r\n"
        + "Contact: <sip:pbx-a@192.0.2.10:5061;transport=tls>;expires=600\r\n"
        + (authorization is null ? "" : $"Authorization: {authorization}\r\n")
        + "Content-Length: 0\r\n\r\n";

    // Credentials answering a fresh challenge from the harness's own authenticator.
    private static string Authorization(ProxyHarness harness, string password, string user = "pbx-a")
    {
        var challenge = harness.Proxy.Peers.Digest!.CreateChallenges(stale: false)[0];
        Assert.True(DigestClientAuthenticator.TrySelectChallenge([challenge], out var selected, out var error), error);
        Assert.True(DigestClientAuthenticator.TryCreateCredentials(selected, "REGISTER", "sip:trunk.example.net", user, password, [], out var credentials, out error), error);
        return credentials;
    }

    private ProxyHarness Start(PeerDefinition peer, int failuresBeforeBan = 10)
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var locations = new LocationService(new MemoryRegistrationStore(), time, NullLogger<LocationService>.Instance);
        var services = new PeerServices
        {
            Digest = DigestServerAuthenticator.CreateRandom(new DigestServerSettings { Realm = Realm }, time),
            Failures = new AuthFailureTracker(failuresBeforeBan, TimeSpan.FromMinutes(10), time),
            DisconnectBanned = _disconnected.Add,
            CallLimiter = new PeerCallLimiter(time),
            Registrar = new SipTrunk.Core.Registrar.Registrar(new RegistrarSettings(), locations, time),
            Locations = locations,
        };
        _harness = new ProxyHarness([ProxyTestData.Carrier("carrier-1", 5081)], services: services, peer: peer);
        return _harness;
    }
}

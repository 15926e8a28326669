using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SipTrunk.Core.Auth;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Registrar;
using SipTrunk.Core.Routing;
using SipTrunk.Core.Tests.Registrar;
using SipTrunk.Core.Tests.Transactions;
using SipTrunk.Sip.Auth;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Proxy;

/// <summary>INVITEs SipTrunk refuses itself leave <c>rejected</c> call records (CONTRACT.md §5); challenges do not.</summary>
public sealed class RejectedCallsTests : IDisposable
{
    private const string Realm = "trunk.example.net";
    private const string Password = "s3cret";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private ProxyHarness? _harness;
    private int _calls;

    [Fact]
    public void Invite_FromOutsideAllowedNetworks_RecordsRejectedAcl()
    {
        var harness = Start(ProxyTestData.Peer with { AllowedNetworks = [IpNetwork.Parse("10.0.0.0/8")] });

        harness.FromPeer(NextInvite());

        var summary = AssertRejected(harness, 403, "acl");
        Assert.Equal("Forbidden", summary.SipReason);
        Assert.Equal("outbound", summary.Direction);
        Assert.Equal("pbx-a", summary.Peer);
        Assert.Null(summary.Carrier);
        Assert.Equal("call-1@pbx", summary.CallId);
        Assert.Equal("sip:+441632960123@127.0.0.1:5061", summary.RequestUri);
        Assert.Equal("sip:pbx-a@10.0.0.5", summary.From);
        Assert.Equal("sip:+441632960123@trunk.example.net", summary.To);
        Assert.Equal("127.0.0.1:40000", summary.SourceAddress);
        Assert.Equal(harness.Time.GetUtcNow(), summary.StartedAt);
        Assert.Equal(summary.StartedAt, summary.EndedAt);
        Assert.Null(summary.AnsweredAt);
        Assert.Empty(summary.Attempts);
        Assert.Equal("CN=pbx-a", summary.InboundTls?.PeerCertificateSubject);
        Assert.Null(summary.OutboundTls);
    }

    [Fact]
    public void Invite_WithoutCredentials_ChallengeIsNoRecord()
    {
        var harness = Start(ProxyTestData.Peer with { Credentials = Credentials() });

        harness.FromPeer(NextInvite());

        Assert.Equal(407, harness.PeerResponses()[^1].StatusCode);
        Assert.Empty(harness.Summaries);
        Assert.Equal(0, harness.Calls.Active);
    }

    [Fact]
    public void Invite_CredentialsOfAnotherUser_RecordsRejectedAuthFailed()
    {
        var harness = Start(ProxyTestData.Peer with { Credentials = Credentials() });

        harness.FromPeer(NextInvite(Authorization(harness, Password, user: "pbx-b")));

        Assert.Equal(403, harness.PeerResponses()[^1].StatusCode);
        AssertRejected(harness, 403, "auth-failed");
    }

    [Fact]
    public void Invite_WrongPasswordUntilTheBan_EachFailedAttemptIsRecordedTheLastAsBanned()
    {
        var harness = Start(ProxyTestData.Peer with { Credentials = Credentials() }, failuresBeforeBan: 2);

        harness.FromPeer(NextInvite(Authorization(harness, "wrong")));
        Assert.Equal(407, harness.PeerResponses()[^1].StatusCode);
        Assert.Equal("call-1@pbx", AssertRejected(harness, 407, "auth-failed").CallId);

        harness.FromPeer(NextInvite(Authorization(harness, "wrong")));

        Assert.Equal(407, harness.PeerResponses()[^1].StatusCode);
        Assert.Equal(
            ["call-1@pbx auth-failed", "call-2@pbx banned"],
            harness.Summaries.Select(s => $"{s.CallId} {s.EndReason}"));
        Assert.Equal(2, harness.Calls.Ended("outbound", CallStatus.Rejected));
    }

    [Fact]
    public void Invite_RightPassword_IsACallNotARejection()
    {
        var harness = Start(ProxyTestData.Peer with { Credentials = Credentials() });

        harness.FromPeer(NextInvite(Authorization(harness, Password)));

        Assert.Single(harness.ReceivedBy("carrier-1"));
        Assert.Empty(harness.Summaries);
        Assert.Equal(1, harness.Calls.Active);
    }

    [Fact]
    public void Invite_OverMaxCallsPerSecond_RecordsRejectedRateLimitAndKeepsTheAdmittedCallActive()
    {
        var harness = Start(ProxyTestData.Peer with { MaxCallsPerSecond = 1 });
        harness.FromPeer(NextInvite());

        harness.FromPeer(NextInvite());

        Assert.Equal(503, harness.PeerResponses()[^1].StatusCode);
        var summary = AssertRejected(harness, 503, "rate-limit", active: 1);
        Assert.Equal("call-2@pbx", summary.CallId);
    }

    [Fact]
    public void Invite_OverMaxConcurrentCalls_RecordsRejectedConcurrencyLimit()
    {
        var harness = Start(ProxyTestData.Peer with { MaxConcurrentCalls = 1 });
        harness.FromPeer(NextInvite());

        harness.FromPeer(NextInvite());

        Assert.Equal(503, harness.PeerResponses()[^1].StatusCode);
        AssertRejected(harness, 503, "concurrency-limit", active: 1);
    }

    [Fact]
    public void Invite_NumberWithoutRoute_RecordsRejectedNoRoute()
    {
        var harness = Start(ProxyTestData.Peer);
        harness.Proxy.UpdateSnapshot(new ProxySnapshot([ProxyTestData.Peer], [Carrier], [new RouteDefinition("+1", ["carrier-1"])], NumberNormalizers.Create("e164")));

        harness.FromPeer(NextInvite());

        Assert.Equal(404, harness.PeerResponses()[^1].StatusCode);
        AssertRejected(harness, 404, "no-route");
    }

    [Fact]
    public void Invite_NumberThatCannotBeNormalized_RecordsRejectedAddressIncomplete()
    {
        var harness = Start(ProxyTestData.Peer);

        harness.FromPeer(NextInvite(number: "+0123"));

        AssertRejected(harness, 484, "address-incomplete");
    }

    [Fact]
    public void Invite_MaxForwardsZero_RecordsRejectedTooManyHops()
    {
        var harness = Start(ProxyTestData.Peer);

        harness.FromPeer(ProxyTestData.Invite(maxForwards: 0));

        AssertRejected(harness, 483, "too-many-hops");
    }

    [Fact]
    public void Invite_FromCarrierForANumberNoPeerHas_RecordsInboundRejectedNoPeer()
    {
        var harness = Start(ProxyTestData.Peer with { Numbers = ["+441632960"] });

        harness.Layer.OnMessage(NextInvite(number: "+15550100"), harness.CarrierFlow("carrier-1"));

        var summary = AssertRejected(harness, 404, "no-peer", direction: "inbound");
        Assert.Null(summary.Peer);
        Assert.Equal("carrier-1", summary.Carrier);
    }

    [Fact]
    public void Invite_FromCarrierForAnUnregisteredPeer_RecordsInboundRejectedPeerUnavailable()
    {
        var harness = Start(ProxyTestData.Peer with { Numbers = ["+441632960"] });

        harness.Layer.OnMessage(NextInvite(), harness.CarrierFlow("carrier-1"));

        var summary = AssertRejected(harness, 480, "peer-unavailable", direction: "inbound");
        Assert.Equal("pbx-a", summary.Peer);
        Assert.Equal("carrier-1", summary.Carrier);
    }

    [Fact]
    public void Invite_FromAnUnknownSource_IsCountedButNotRecorded()
    {
        var harness = Start(ProxyTestData.Peer);

        harness.Layer.OnMessage(NextInvite(), new RecordingFlow(remotePort: 40100, identities: ["stranger"]));

        Assert.Equal(1, harness.Metrics.RequestsRefused.Get("unknown-source"));
        Assert.Empty(harness.Summaries);
    }

    [Fact]
    public void RequestsOtherThanANewInvite_RefusedWithoutRecord()
    {
        var harness = Start(ProxyTestData.Peer with { AllowedNetworks = [IpNetwork.Parse("10.0.0.0/8")] });

        harness.FromPeer(SipText.ParseRequest(SipText.Request("OPTIONS", "z9hG4bK-acl-options")));
        harness.FromPeer(NextInvite(toTag: "callee-tag"));

        Assert.Equal(2, harness.Metrics.RequestsRefused.Get("acl"));
        Assert.Empty(harness.Summaries);
    }

    [Fact]
    public void CallCounters_RejectionReusingALiveCallsCallId_LeavesThatCallActiveAndListed()
    {
        var counters = new CallCounters();
        ICallObserver observers = new CallObservers(counters);
        observers.OnCallStarted("merged@pbx", "outbound", "pbx-a");

        observers.OnCallRejected(new CallSummary { CallId = "merged@pbx", Direction = "outbound", Peer = "pbx-a", Status = CallStatus.Rejected, SipCode = 503 });

        Assert.Equal(1, counters.Active);
        Assert.Equal("merged@pbx", Assert.Single(counters.ActiveCalls()).CallId);
        Assert.Equal(1, counters.Ended("outbound", CallStatus.Rejected));
    }

    public void Dispose() => _harness?.Dispose();

    private static CarrierDefinition Carrier => ProxyTestData.Carrier("carrier-1", 5081);

    private static CallSummary AssertRejected(ProxyHarness harness, int code, string endReason, string direction = "outbound", int active = 0)
    {
        var summary = Assert.Single(harness.Summaries);
        Assert.Equal(CallStatus.Rejected, summary.Status);
        Assert.Equal(code, summary.SipCode);
        Assert.Equal("proxy", summary.EndedBy);
        Assert.Equal(endReason, summary.EndReason);
        Assert.Equal(direction, summary.Direction);
        Assert.Equal(active, harness.Calls.Active);
        Assert.Equal(1, harness.Calls.Ended(direction, CallStatus.Rejected));
        return summary;
    }

    private static PeerCredentials Credentials() => new(
        "pbx-a",
        DigestMath.ComputeHa1(DigestAlgorithm.Sha256, "pbx-a", Realm, Password),
        DigestMath.ComputeHa1(DigestAlgorithm.Md5, "pbx-a", Realm, Password));

    // Credentials answering a fresh challenge from the harness's own authenticator.
    private static string Authorization(ProxyHarness harness, string password, string user = "pbx-a")
    {
        var challenge = harness.Proxy.Peers.Digest!.CreateChallenges(stale: false)[0];
        Assert.True(DigestClientAuthenticator.TrySelectChallenge([challenge], out var selected, out var error), error);
        Assert.True(DigestClientAuthenticator.TryCreateCredentials(selected, "INVITE", "sip:+441632960123@127.0.0.1:5061", user, password, [], out var credentials, out error), error);
        return credentials;
    }

    // A new call (own Call-ID and branch) to the number, optionally with Proxy-Authorization (or in a dialog: a To tag).
    private SipRequest NextInvite(string? authorization = null, string number = "+441632960123", string? toTag = null)
    {
        var n = ++_calls;
        var text = $"INVITE sip:{number}@127.0.0.1:5061 SIP/2.0\r\n"
            + $"Via: SIP/2.0/TLS 10.0.0.5:5061;branch=z9hG4bK-rejected-{n}\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:pbx-a@10.0.0.5>;tag=caller-tag\r\n"
            + $"To: <sip:{number}@trunk.example.net>{(toTag is null ? "" : ";tag=" + toTag)}\r\n"
            + $"Call-ID: call-{n}@pbx\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:pbx-a@10.0.0.5:5061;transport=tls>\r\n"
            + (authorization is null ? "" : $"Proxy-Authorization: {authorization}\r\n")
            + "Content-Length: 0\r\n\r\n";
        return SipText.ParseRequest(text);
    }

    private ProxyHarness Start(PeerDefinition peer, int failuresBeforeBan = 10)
    {
        var locations = new LocationService(new MemoryRegistrationStore(), _time, NullLogger<LocationService>.Instance);
        var services = new PeerServices
        {
            Digest = DigestServerAuthenticator.CreateRandom(new DigestServerSettings { Realm = Realm }, _time),
            Failures = new AuthFailureTracker(failuresBeforeBan, TimeSpan.FromMinutes(10), _time),
            CallLimiter = new PeerCallLimiter(_time),
            Locations = locations,
        };
        _harness = new ProxyHarness([Carrier], services: services, peer: peer);
        return _harness;
    }
}

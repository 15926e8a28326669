using SipTrunk.Core.Proxy;
using SipTrunk.Core.Tests.Transactions;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Proxy;

public sealed class OutboundCallTests
{
    private static ProxyHarness TwoCarriers() => new([ProxyTestData.Carrier("carrier-a", 5081, priority: 1), ProxyTestData.Carrier("carrier-b", 5082, priority: 2)]);

    private static int[] Codes(ProxyHarness harness) => [.. harness.PeerResponses().Select(r => r.StatusCode)];

    [Fact]
    public void Invite_Answered_ForwardsRingingAndOkWithRecordRoute()
    {
        using var harness = TwoCarriers();
        harness.FromPeer(ProxyTestData.Invite());

        var sent = Assert.Single(harness.ReceivedBy("carrier-a"));
        Assert.Equal("sips:+441632960123@127.0.0.1:5081", sent.RequestUriText);
        Assert.True(sent.Contains(HeaderId.RecordRoute));
        harness.CarrierResponds("carrier-a", 180);
        harness.CarrierResponds("carrier-a", 200);

        Assert.Equal([100, 180, 200], Codes(harness));
        var ok = harness.PeerResponses()[^1];
        Assert.Equal(["SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bK-caller-1;received=127.0.0.1"], SipText.Headers(ok, HeaderId.Via));
        Assert.Empty(harness.ReceivedBy("carrier-b"));
        Assert.Equal(1, harness.Proxy.AnsweredCallCount);
        Assert.Equal(1, harness.Calls.Active);
        var live = Assert.Single(harness.Calls.ActiveCalls());
        Assert.Equal(("outbound", "pbx-a", "carrier-a"), (live.Direction, live.Peer, live.Carrier));
        Assert.NotNull(live.AnsweredAt);
    }

    [Fact]
    public void Invite_First503_FailsOverToSecondAndRecordsBothAttempts()
    {
        using var harness = TwoCarriers();
        harness.FromPeer(ProxyTestData.Invite());

        harness.CarrierResponds("carrier-a", 503);
        Assert.Single(harness.ReceivedBy("carrier-b"));
        harness.CarrierResponds("carrier-b", 200);

        Assert.Equal([100, 200], Codes(harness));
        // The layer ACKs the 503 itself (RFC 3261 §17.1.1.3).
        Assert.Single(harness.ReceivedBy("carrier-a", SipMethod.Ack));
        Assert.Equal(1, harness.Metrics.CarrierAttempts.Get("failover"));
        Assert.Equal(1, harness.Metrics.CarrierAttempts.Get("answered"));
    }

    [Fact]
    public void Invite_FirstUnreachable_FailsOverToSecond()
    {
        using var harness = TwoCarriers();
        harness.Unreachable.Add("carrier-a");

        harness.FromPeer(ProxyTestData.Invite());

        Assert.Equal(["carrier-a", "carrier-b"], harness.Connector.Connects);
        Assert.Single(harness.ReceivedBy("carrier-b"));
        Assert.Equal(1, harness.Metrics.CarrierAttempts.Get("transport-error"));
    }

    [Fact]
    public void Invite_FirstCarrierDown_SkippedWithoutAnAttempt()
    {
        var monitored = ProxyTestData.Carrier("carrier-a", 5081, priority: 1) with { HealthCheckInterval = TimeSpan.FromSeconds(30), FailuresBeforeDown = 1 };
        using var harness = new ProxyHarness([monitored, ProxyTestData.Carrier("carrier-b", 5082, priority: 2)]);
        Assert.True(harness.Health.TryGet("carrier-a", out var health));
        health.RecordFailure();

        harness.FromPeer(ProxyTestData.Invite());

        Assert.Equal(["carrier-b"], harness.Connector.Connects);
        Assert.Single(harness.ReceivedBy("carrier-b"));
    }

    [Fact]
    public void Invite_EveryCarrierDown_Gets503WithRetryAfter()
    {
        var monitored = ProxyTestData.Carrier("carrier-a", 5081) with { HealthCheckInterval = TimeSpan.FromSeconds(30), FailuresBeforeDown = 1 };
        using var harness = new ProxyHarness([monitored]);
        Assert.True(harness.Health.TryGet("carrier-a", out var health));
        health.RecordFailure();

        harness.FromPeer(ProxyTestData.Invite());

        Assert.Empty(harness.Connector.Connects);
        var final = harness.PeerResponses()[^1];
        Assert.Equal(503, final.StatusCode);
        Assert.NotNull(final.GetFirstValueString(HeaderId.RetryAfter));
    }

    [Fact]
    public void Invite_AllFailWith503_Generates503WithRetryAfter()
    {
        using var harness = TwoCarriers();
        harness.FromPeer(ProxyTestData.Invite());

        harness.CarrierResponds("carrier-a", 503);
        harness.CarrierResponds("carrier-b", 503);

        var final = harness.PeerResponses()[^1];
        Assert.Equal(503, final.StatusCode);
        Assert.NotNull(final.GetFirstValueString(HeaderId.RetryAfter));
        Assert.Equal(0, harness.Calls.Active);
        Assert.Equal(1, harness.Calls.Ended("outbound", CallStatus.Failed));
    }

    [Fact]
    public void Invite_NonFailoverCode_ForwardedWithoutTryingNext()
    {
        using var harness = TwoCarriers();
        harness.FromPeer(ProxyTestData.Invite());

        harness.CarrierResponds("carrier-a", 486);

        Assert.Equal([100, 486], Codes(harness));
        Assert.Empty(harness.ReceivedBy("carrier-b"));
        Assert.Equal(1, harness.Calls.Ended("outbound", CallStatus.Busy));
    }

    [Fact]
    public void Invite_NoFinalWithinInviteTimeout_CancelsBranchAndTriesNext()
    {
        using var harness = TwoCarriers();
        harness.FromPeer(ProxyTestData.Invite());
        harness.CarrierResponds("carrier-a", 180);

        harness.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Single(harness.ReceivedBy("carrier-a", SipMethod.Cancel));
        Assert.Single(harness.ReceivedBy("carrier-b"));
        // The cancelled branch's 487 does not reach the caller; the second carrier's answer does.
        harness.CarrierResponds("carrier-a", 487);
        harness.CarrierResponds("carrier-b", 200);
        Assert.Equal([100, 180, 200], Codes(harness));
    }

    [Fact]
    public void Invite_LastCarrierTimesOut_Answers408()
    {
        using var harness = new ProxyHarness([ProxyTestData.Carrier("carrier-a", 5081)]);
        harness.FromPeer(ProxyTestData.Invite());

        harness.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal([100, 408], Codes(harness));
        Assert.Equal(1, harness.Calls.Ended("outbound", CallStatus.NoAnswer));
    }

    [Fact]
    public void Cancel_BeforeAnswer_CancelsCarrierAndForwards487()
    {
        using var harness = TwoCarriers();
        var invite = ProxyTestData.Invite();
        harness.FromPeer(invite);
        harness.CarrierResponds("carrier-a", 180);

        harness.FromPeer(SipText.Parse(
            "CANCEL sip:+441632960123@127.0.0.1:5061 SIP/2.0\r\nVia: SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bK-caller-1\r\nMax-Forwards: 70\r\n"
            + "From: <sip:pbx-a@10.0.0.5>;tag=caller-tag\r\nTo: <sip:+441632960123@trunk.example.net>\r\nCall-ID: call-1@10.0.0.5\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n"));

        Assert.Single(harness.ReceivedBy("carrier-a", SipMethod.Cancel));
        harness.CarrierResponds("carrier-a", 487);
        var codes = harness.PeerResponses().Select(r => (r.StatusCode, r.CSeq!.Method)).ToList();
        Assert.Contains((200, "CANCEL"), codes);
        Assert.Equal((487, "INVITE"), codes[^1]);
        Assert.Empty(harness.ReceivedBy("carrier-b"));
        Assert.Equal(1, harness.Calls.Ended("outbound", CallStatus.Cancelled));
    }

    [Fact]
    public void Invite_CarrierChallenges_AnsweredOnceWithCredentials()
    {
        var carrier = ProxyTestData.Carrier("carrier-a", 5081) with { AuthUsername = "trunk-user", AuthPassword = "s3cret" };
        using var harness = new ProxyHarness([carrier]);
        harness.FromPeer(ProxyTestData.Invite());

        harness.CarrierResponds("carrier-a", 407, extraHeader: "Proxy-Authenticate: Digest realm=\"carrier\", nonce=\"abc\", qop=\"auth\", algorithm=SHA-256");
        var retried = harness.ReceivedBy("carrier-a");
        Assert.Equal(2, retried.Count);
        var credentials = retried[1].GetFirstValueString(HeaderId.ProxyAuthorization);
        Assert.NotNull(credentials);
        Assert.Contains("username=\"trunk-user\"", credentials, StringComparison.Ordinal);
        Assert.Contains("algorithm=SHA-256", credentials, StringComparison.Ordinal);

        // A second challenge on the same attempt is not answered again: it goes to the caller.
        harness.CarrierResponds("carrier-a", 407, extraHeader: "Proxy-Authenticate: Digest realm=\"carrier\", nonce=\"def\", qop=\"auth\"");
        Assert.Equal(2, harness.ReceivedBy("carrier-a").Count);
        Assert.Equal(407, harness.PeerResponses()[^1].StatusCode);
    }

    [Fact]
    public void Bye_AfterAnswer_LooseRoutedToCarrierAndEndsCall()
    {
        using var harness = TwoCarriers();
        harness.FromPeer(ProxyTestData.Invite());
        harness.CarrierResponds("carrier-a", 200);
        var recordRoute = harness.PeerResponses()[^1].GetFirstValueString(HeaderId.RecordRoute)!;

        harness.FromPeer(SipText.Parse(
            "BYE sip:callee@192.0.2.10:5060;transport=tcp SIP/2.0\r\nVia: SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bK-bye-1\r\nMax-Forwards: 70\r\n"
            + $"Route: {recordRoute}\r\nFrom: <sip:pbx-a@10.0.0.5>;tag=caller-tag\r\nTo: <sip:+441632960123@trunk.example.net>;tag=callee-tag\r\nCall-ID: call-1@10.0.0.5\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n"));

        var bye = Assert.Single(harness.ReceivedBy("carrier-a", SipMethod.Bye));
        Assert.Equal("sip:callee@192.0.2.10:5060;transport=tcp", bye.RequestUriText);
        Assert.False(bye.Contains(HeaderId.Route));
        harness.CarrierResponds("carrier-a", 200, SipMethod.Bye);
        Assert.Equal((200, "BYE"), harness.PeerResponses().Select(r => (r.StatusCode, r.CSeq!.Method)).Last());
        Assert.Equal(0, harness.Proxy.AnsweredCallCount);
        Assert.Equal(1, harness.Calls.Ended("outbound", CallStatus.Answered));
    }

    [Fact]
    public void Bye_FromCarrier_GoesDownThePeersFlow()
    {
        using var harness = TwoCarriers();
        harness.FromPeer(ProxyTestData.Invite());
        harness.CarrierResponds("carrier-a", 200);
        var recordRoute = harness.ReceivedBy("carrier-a")[0].GetFirstValueString(HeaderId.RecordRoute)!;
        var before = harness.PeerFlow.Sent.Count;

        harness.Layer.OnMessage(SipText.Parse(
            "BYE sip:pbx-a@10.0.0.5:5060;transport=tcp SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5081;branch=z9hG4bK-cbye-1\r\nMax-Forwards: 70\r\n"
            + $"Route: {recordRoute}\r\nFrom: <sip:+441632960123@trunk.example.net>;tag=callee-tag\r\nTo: <sip:pbx-a@10.0.0.5>;tag=caller-tag\r\nCall-ID: call-1@10.0.0.5\r\nCSeq: 1 BYE\r\nContent-Length: 0\r\n\r\n"),
            harness.CarrierFlow("carrier-a"));

        var bye = harness.PeerFlow.SentMessages().Skip(before).OfType<SipRequest>().Single();
        Assert.Equal(SipMethod.Bye, bye.Method);
    }

    [Fact]
    public void Request_FromUnknownIdentity_Gets403()
    {
        using var harness = TwoCarriers();
        var stranger = new RecordingFlow(identities: ["stranger"]);

        harness.Layer.OnMessage(ProxyTestData.Invite(), stranger);

        Assert.Equal(403, stranger.SentMessages().OfType<SipResponse>().Last().StatusCode);
        Assert.Empty(harness.ReceivedBy("carrier-a"));
        Assert.Equal(1, harness.Metrics.RequestsRefused.Get("unknown-source"));
    }

    [Theory]
    [InlineData("OPTIONS sip:127.0.0.1:5061 SIP/2.0", 200)]
    [InlineData("MESSAGE sip:+441632960123@127.0.0.1:5061 SIP/2.0", 405)]
    public void Request_OutOfDialog_AnsweredLocally(string startLine, int expected)
    {
        using var harness = TwoCarriers();
        var method = startLine[..startLine.IndexOf(' ', StringComparison.Ordinal)];

        harness.FromPeer(SipText.Parse(
            $"{startLine}\r\nVia: SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bK-o-1\r\nMax-Forwards: 70\r\nFrom: <sip:pbx-a@10.0.0.5>;tag=t\r\nTo: <sip:trunk@localhost>\r\nCall-ID: o-1\r\nCSeq: 1 {method}\r\nContent-Length: 0\r\n\r\n"));

        Assert.Equal(expected, harness.PeerResponses()[^1].StatusCode);
    }

    [Fact]
    public void Invite_MaxForwardsZero_Gets483()
    {
        using var harness = TwoCarriers();

        harness.FromPeer(ProxyTestData.Invite(maxForwards: 0));

        Assert.Equal(483, harness.PeerResponses()[^1].StatusCode);
    }

    [Fact]
    public void Invite_OwnViaPresent_Gets482()
    {
        using var harness = TwoCarriers();

        harness.FromPeer(ProxyTestData.Invite(via: "SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bK-loop\r\nVia: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK-old"));

        Assert.Equal(482, harness.PeerResponses()[^1].StatusCode);
    }
}

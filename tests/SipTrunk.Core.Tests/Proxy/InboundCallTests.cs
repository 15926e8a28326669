using Microsoft.Extensions.Logging.Abstractions;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Registrar;
using SipTrunk.Core.Tests.Registrar;
using SipTrunk.Core.Tests.Transactions;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Proxy;

public sealed class InboundCallTests : IDisposable
{
    private const string Number = "+441632960123";
    private static readonly PeerDefinition Peer = ProxyTestData.Peer with { Numbers = ["+441632960"] };
    private readonly MemoryRegistrationStore _store = new();
    private readonly ProxyHarness _harness;
    private readonly LocationService _locations;
    private readonly RecordingFlow _secondFlow = new(remotePort: 40001, identities: ["pbx-a"]);

    public InboundCallTests()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        _locations = new LocationService(_store, time, NullLogger<LocationService>.Instance);
        _harness = new ProxyHarness(
            [ProxyTestData.Carrier("carrier-1", 5081)],
            services: new PeerServices { Locations = _locations },
            peer: Peer);
        _harness.OtherFlows.Add(_secondFlow);
    }

    [Fact]
    public void Invite_FromCarrier_ForksToEveryRegisteredFlowAndTheFirstAnswerWins()
    {
        Register(("sip:pbx-a@10.0.0.5:5099;transport=tls", _harness.PeerFlow), ("sip:pbx-a@10.0.0.6:5099;transport=tls", _secondFlow));

        FromCarrier(ProxyTestData.Invite(Number));

        var first = InvitesOn(_harness.PeerFlow).Single();
        var second = InvitesOn(_secondFlow).Single();
        Assert.Equal("sip:pbx-a@10.0.0.5:5099;transport=tls", first.RequestUriText);
        Assert.Equal("sip:pbx-a@10.0.0.6:5099;transport=tls", second.RequestUriText);
        Assert.NotEmpty(SipText.Headers(first, HeaderId.RecordRoute));

        Respond(first, 180, _harness.PeerFlow, "fork-1");
        Assert.Contains(CarrierResponses(), r => r.StatusCode == 180);

        Respond(second, 200, _secondFlow, "fork-2");
        Assert.Contains(CarrierResponses(), r => r.StatusCode == 200);
        // RFC 3261 §16.7 step 10: the fork still ringing is cancelled.
        Assert.Single(_harness.PeerFlow.SentMessages().OfType<SipRequest>(), r => r.Method == SipMethod.Cancel);
        Assert.Equal(1, _harness.Calls.Active);
        var live = Assert.Single(_harness.Calls.ActiveCalls());
        Assert.Equal(("inbound", "carrier-1"), (live.Direction, live.Carrier));
        Assert.NotNull(live.AnsweredAt);
    }

    [Fact]
    public void Invite_FromCarrier_ByeFromThePeerGoesBackDownTheCarriersConnection()
    {
        Register(("sip:pbx-a@10.0.0.5:5099;transport=tls", _harness.PeerFlow));
        FromCarrier(ProxyTestData.Invite(Number));
        var invite = InvitesOn(_harness.PeerFlow).Single();
        Respond(invite, 200, _harness.PeerFlow, "callee");
        var recordRoute = SipText.Headers(invite, HeaderId.RecordRoute)[0];

        var bye = SipText.ParseRequest(
            "BYE sip:caller@10.0.0.5:5060 SIP/2.0\r\n"
            + "Via: SIP/2.0/TLS 10.0.0.5:5099;branch=z9hG4bK-bye-1\r\n"
            + "Max-Forwards: 70\r\n"
            + $"Route: {recordRoute}\r\n"
            + $"From: <sip:pbx-a@trunk.example.net>;tag=callee\r\n"
            + $"To: {invite.From!.Uri};tag={invite.From.Tag}\r\n"
            + $"Call-ID: {invite.CallId}\r\n"
            + "CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n");
        _harness.Layer.OnMessage(bye, _harness.PeerFlow);

        var relayed = _harness.ReceivedBy("carrier-1", SipMethod.Bye).Single();
        Assert.Equal(invite.CallId, relayed.CallId);
        Assert.Empty(_harness.Connector.Connects);
    }

    [Fact]
    public void Invite_EveryForkFails_TheBestFinalResponseGoesBack()
    {
        Register(("sip:pbx-a@10.0.0.5:5099;transport=tls", _harness.PeerFlow), ("sip:pbx-a@10.0.0.6:5099;transport=tls", _secondFlow));
        FromCarrier(ProxyTestData.Invite(Number));

        Respond(InvitesOn(_harness.PeerFlow).Single(), 486, _harness.PeerFlow, "fork-1");
        Assert.DoesNotContain(CarrierResponses(), r => r.StatusCode >= 300);
        Respond(InvitesOn(_secondFlow).Single(), 503, _secondFlow, "fork-2");

        // 4xx beats 5xx (RFC 3261 §16.7 step 6).
        Assert.Equal(486, CarrierResponses().Last().StatusCode);
        Assert.Equal(0, _harness.Calls.Active);
        Assert.Equal(1, _harness.Calls.Ended("inbound", "busy"));
    }

    [Fact]
    public void Invite_NobodyAnswersInTime_ForksCancelledAnd408()
    {
        Register(("sip:pbx-a@10.0.0.5:5099;transport=tls", _harness.PeerFlow));
        FromCarrier(ProxyTestData.Invite(Number));
        Respond(InvitesOn(_harness.PeerFlow).Single(), 180, _harness.PeerFlow, "fork-1");

        _harness.Time.Advance(TimeSpan.FromSeconds(11));

        Assert.Equal(408, CarrierResponses().Last().StatusCode);
        Assert.Single(_harness.PeerFlow.SentMessages().OfType<SipRequest>(), r => r.Method == SipMethod.Cancel);
        Assert.Equal(1, _harness.Calls.Ended("inbound", "no-answer"));
    }

    [Fact]
    public void Invite_PeerWithoutRegistrationOrUri_Gets480()
    {
        FromCarrier(ProxyTestData.Invite(Number));

        Assert.Equal(480, CarrierResponses().Last().StatusCode);
        Assert.Empty(InvitesOn(_harness.PeerFlow));
    }

    [Fact]
    public void Invite_NumberOfNoPeer_Gets404()
    {
        Register(("sip:pbx-a@10.0.0.5:5099;transport=tls", _harness.PeerFlow));
        FromCarrier(ProxyTestData.Invite("+15550100"));

        Assert.Equal(404, CarrierResponses().Last().StatusCode);
        Assert.Empty(InvitesOn(_harness.PeerFlow));
    }

    [Fact]
    public void Invite_RegisteredFlowGone_UsesThePeersNewerConnection()
    {
        var gone = new RecordingFlow(remotePort: 40002, identities: ["pbx-a"]);
        Register(("sip:pbx-a@10.0.0.5:5099;transport=tls", gone));
        gone.Close("test");
        // The peer reconnected: any request on the new connection makes it the peer's latest flow.
        _harness.FromPeer(SipText.ParseRequest(
            "OPTIONS sip:127.0.0.1:5061 SIP/2.0\r\nVia: SIP/2.0/TLS 10.0.0.5:5099;branch=z9hG4bK-opt-1\r\nMax-Forwards: 70\r\n"
            + "From: <sip:pbx-a@trunk.example.net>;tag=o1\r\nTo: <sip:127.0.0.1:5061>\r\nCall-ID: opt-1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"));

        FromCarrier(ProxyTestData.Invite(Number));

        Assert.Single(InvitesOn(_harness.PeerFlow));
    }

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void EndLiveCalls_RingingInboundCall_CancelsTheForkAnd487ToTheCarrier()
    {
        Register(("sip:pbx-a@10.0.0.5:5099;transport=tls", _harness.PeerFlow));
        FromCarrier(ProxyTestData.Invite(Number));
        Respond(InvitesOn(_harness.PeerFlow).Single(), 180, _harness.PeerFlow, "fork-1");

        Assert.Equal(1, _harness.Proxy.EndLiveCalls("shutdown"));

        Assert.Single(_harness.PeerFlow.SentMessages().OfType<SipRequest>(), r => r.Method == SipMethod.Cancel);
        var final = CarrierResponses()[^1];
        Assert.Equal(487, final.StatusCode);
        Assert.Contains("shutdown", final.GetFirstValueString(HeaderId.Warning), StringComparison.Ordinal);
        var summary = Assert.Single(_harness.Summaries);
        Assert.Equal(("inbound", CallStatus.Cancelled, "proxy", "shutdown"), (summary.Direction, summary.Status, summary.EndedBy, summary.EndReason));
        Assert.Equal(0, _harness.Proxy.LiveCallCount);
    }

    [Fact]
    public void EndLiveCalls_AnsweredInboundCall_ByeToTheCarrierAndThePeer()
    {
        Register(("sip:pbx-a@10.0.0.5:5099;transport=tls", _harness.PeerFlow));
        FromCarrier(ProxyTestData.Invite(Number));
        Respond(InvitesOn(_harness.PeerFlow).Single(), 200, _harness.PeerFlow, "callee");

        Assert.Equal(1, _harness.Proxy.EndLiveCalls("shutdown"));

        Assert.Single(_harness.CarrierFlow("carrier-1").SentMessages().OfType<SipRequest>(), r => r.Method == SipMethod.Bye);
        Assert.Single(_harness.PeerFlow.SentMessages().OfType<SipRequest>(), r => r.Method == SipMethod.Bye);
        var summary = Assert.Single(_harness.Summaries);
        Assert.Equal((CallStatus.Answered, "proxy", "shutdown"), (summary.Status, summary.EndedBy, summary.EndReason));
        Assert.Equal(0, _harness.Proxy.AnsweredCallCount);
        Assert.Equal(2, _harness.Proxy.Teardowns.Count);
    }

    private void Register(params (string Contact, RecordingFlow Flow)[] contacts) =>
        _locations.Replace("sip:pbx-a@trunk.example.net", [.. contacts.Select((c, i) => new RegistrarBinding
        {
            Peer = "pbx-a",
            Aor = "sip:pbx-a@trunk.example.net",
            ContactUri = c.Contact,
            ExpiresAt = _harness.Time.GetUtcNow().AddHours(1),
            CallId = "reg-" + i,
            CSeq = 1,
            FlowId = c.Flow.Id,
            UpdatedAt = _harness.Time.GetUtcNow(),
        })]);

    private void FromCarrier(SipRequest request) => _harness.Layer.OnMessage(request, _harness.CarrierFlow("carrier-1"));

    private List<SipResponse> CarrierResponses() => [.. _harness.CarrierFlow("carrier-1").SentMessages().OfType<SipResponse>().Where(r => r.StatusCode != 100)];

    private static List<SipRequest> InvitesOn(RecordingFlow flow) => [.. flow.SentMessages().OfType<SipRequest>().Where(r => r.Method == SipMethod.Invite)];

    private void Respond(SipRequest request, int code, RecordingFlow flow, string toTag)
    {
        var builder = SipResponses.Create(request, code, null, toTag);
        if (code is >= 200 and < 300)
        {
            builder.Add(HeaderId.Contact, "<sip:pbx-a@10.0.0.5:5099;transport=tls>");
            foreach (var recordRoute in request.GetValues(HeaderId.RecordRoute))
            {
                builder.Add(HeaderId.RecordRoute, recordRoute.ToString());
            }
        }

        _harness.Layer.OnMessage(SipParser.Parse(builder.ToArray()).Message!, flow);
    }
}

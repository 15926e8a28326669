using SipTrunk.Core.Proxy;
using SipTrunk.Core.Tests.Transactions;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Proxy;

public sealed class ProxyMessageFactoryTests
{
    private static SipRequest Forward(SipRequest request, SipFlow inbound, SipFlow outbound, FlowToken? token, int popRoutes = 0)
    {
        var bytes = ProxyTestData.Factory.ForwardRequest(request, inbound, outbound, "z9hG4bK-ours", "sips:+441632960123@127.0.0.1:5081", popRoutes, token);
        return (SipRequest)SipParser.Parse(bytes).Message!;
    }

    [Theory]
    [InlineData("SipTrunk", "SipTrunk")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void CreateResponse_SipUserAgent_ServerHeaderOnlyWhenConfigured(string? userAgent, string? expected)
    {
        var response = (SipResponse)SipParser.Parse(ProxyMessageFactory.CreateResponse(ProxyTestData.Invite(), 403, "Forbidden", userAgent)).Message!;

        Assert.Equal(403, response.StatusCode);
        Assert.Equal(expected, response.GetFirstValueString(HeaderId.Server));
    }

    [Fact]
    public void ForwardRequest_Initial_AddsViaRecordRouteAndDecrementsMaxForwards()
    {
        var inbound = new RecordingFlow(identities: ["pbx-a"]);
        var outbound = new RecordingFlow(localPort: 45000, outboundKey: "carrier-1");
        var token = new FlowToken(inbound.Id, "pbx-a", "carrier-1");

        var forwarded = Forward(ProxyTestData.Invite(), inbound, outbound, token);

        Assert.Equal("sips:+441632960123@127.0.0.1:5081", forwarded.RequestUriText);
        var vias = SipText.Headers(forwarded, HeaderId.Via);
        Assert.Equal(["SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK-ours", "SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bK-caller-1;received=127.0.0.1"], vias);
        Assert.Equal(69, forwarded.MaxForwards);
        var recordRoutes = SipText.Headers(forwarded, HeaderId.RecordRoute);
        var single = Assert.Single(recordRoutes);
        Assert.StartsWith("<sip:127.0.0.1:5061;transport=tls;lr;st=", single, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Custom: kept as is\r\n", forwarded.ToString(), StringComparison.Ordinal);
        Assert.Equal(ProxyTestData.Invite().Body.ToArray(), forwarded.Body.ToArray());
    }

    [Fact]
    public void ForwardRequest_DifferentTransports_DoubleRecordRoute()
    {
        var inbound = new RecordingFlow(identities: ["pbx-a"]);
        var outbound = new RecordingFlow(SipTransportKind.Udp, localPort: 5060, outboundKey: "carrier-udp");

        var forwarded = Forward(ProxyTestData.Invite(), inbound, outbound, new FlowToken(inbound.Id, "pbx-a", "carrier-udp"));

        var recordRoutes = SipText.Headers(forwarded, HeaderId.RecordRoute);
        Assert.Equal(2, recordRoutes.Count);
        Assert.StartsWith("<sip:127.0.0.1:5060;lr;st=", recordRoutes[0], StringComparison.Ordinal);
        Assert.StartsWith("<sip:127.0.0.1:5061;transport=tls;lr;st=", recordRoutes[1], StringComparison.Ordinal);
        Assert.StartsWith("SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-ours;rport", forwarded.GetFirstValueString(HeaderId.Via), StringComparison.Ordinal);
    }

    [Fact]
    public void ForwardRequest_SipsRequestUri_RecordRoutesWithSips()
    {
        var inbound = new RecordingFlow(identities: ["pbx-a"]);
        var outbound = new RecordingFlow(localPort: 45000, outboundKey: "carrier-1");
        var request = (SipRequest)SipParser.Parse(System.Text.Encoding.ASCII.GetBytes(ProxyTestData.Invite().ToString().Replace("INVITE sip:", "INVITE sips:", StringComparison.Ordinal))).Message!;

        var forwarded = Forward(request, inbound, outbound, new FlowToken(inbound.Id, "pbx-a", "carrier-1"));

        // RFC 3261 §16.6 step 4: a SIPS request is record-routed with a SIPS URI.
        Assert.StartsWith("<sips:127.0.0.1:5061;lr;st=", Assert.Single(SipText.Headers(forwarded, HeaderId.RecordRoute)), StringComparison.Ordinal);
    }

    [Fact]
    public void ForwardRequest_NoMaxForwards_Adds70()
    {
        var inbound = new RecordingFlow(identities: ["pbx-a"]);

        var forwarded = Forward(ProxyTestData.Invite(maxForwards: null), inbound, new RecordingFlow(outboundKey: "c"), null);

        // RFC 3261 §16.6 step 3: a missing Max-Forwards is added with 70.
        Assert.Equal(70, forwarded.MaxForwards);
        Assert.False(forwarded.Contains(HeaderId.RecordRoute));
    }

    [Fact]
    public void ForwardRequest_RportRequested_StampsSourcePort()
    {
        var inbound = new RecordingFlow(SipTransportKind.Udp, remotePort: 40123);
        var request = ProxyTestData.Invite(via: "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-x;rport");

        var forwarded = Forward(request, inbound, new RecordingFlow(outboundKey: "c"), null);

        var vias = SipText.Headers(forwarded, HeaderId.Via);
        Assert.Contains("rport=40123", vias[1], StringComparison.Ordinal);
        Assert.Contains("received=127.0.0.1", vias[1], StringComparison.Ordinal);
    }

    [Fact]
    public void AnalyzeRoutes_OwnRoutesThenForeign_CountsOwnAndDecodesToken()
    {
        var token = new FlowToken(12, "pbx-a", "carrier-1");
        var encoded = ProxyTestData.Codec.Encode(token);
        var request = ProxyTestData.Invite(extraHeaders: $"Route: <sips:127.0.0.1:5061;lr;st={encoded}>, <sip:127.0.0.1:5060;lr;st={encoded}>\r\nRoute: <sip:carrier.example.com;lr>\r\n");

        var analysis = ProxyTestData.Factory.AnalyzeRoutes(request, new RecordingFlow());

        Assert.Equal(2, analysis.LocalRouteCount);
        Assert.Equal(token, analysis.Token);
        Assert.True(analysis.HasForeignRoute);
    }

    [Fact]
    public void AnalyzeRoutes_PreloadedRouteToDomain_IsLocalWithoutToken()
    {
        var request = ProxyTestData.Invite(extraHeaders: "Route: <sips:trunk.example.net;lr>\r\n");

        var analysis = ProxyTestData.Factory.AnalyzeRoutes(request, new RecordingFlow());

        Assert.Equal(new RouteAnalysis(1, null, false), analysis);
    }

    [Fact]
    public void AnalyzeRoutes_ForgedToken_NotLocal()
    {
        var request = ProxyTestData.Invite(extraHeaders: "Route: <sips:192.0.2.1:5061;lr;st=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA>\r\n");

        var analysis = ProxyTestData.Factory.AnalyzeRoutes(request, new RecordingFlow());

        Assert.Equal(new RouteAnalysis(0, null, true), analysis);
    }

    [Fact]
    public void IsLoop_OwnViaPresent_True()
    {
        Assert.True(ProxyTestData.Factory.IsLoop(ProxyTestData.Invite(via: "SIP/2.0/TLS 10.0.0.9:5061;branch=z9hG4bK-a\r\nVia: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK-b")));
        Assert.False(ProxyTestData.Factory.IsLoop(ProxyTestData.Invite()));
    }

    [Fact]
    public void ForwardResponse_RemovesOnlyTopVia()
    {
        var text = "SIP/2.0 180 Ringing\r\nVia: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK-ours\r\nVia: SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bK-caller-1\r\n"
            + "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
        var response = SipParser.Parse(System.Text.Encoding.ASCII.GetBytes(text)).Message!;

        var forwarded = SipParser.Parse(ProxyMessageFactory.ForwardResponse((SipResponse)response)).Message!;

        Assert.Equal(["SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bK-caller-1"], SipText.Headers(forwarded, HeaderId.Via));
    }
}

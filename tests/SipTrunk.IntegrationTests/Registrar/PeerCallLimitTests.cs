using System.Globalization;
using SipTrunk.IntegrationTests.Proxy;
using SipTrunk.Sip.Messages;
using SipTrunk.Testing.Peers;

namespace SipTrunk.IntegrationTests.Registrar;

/// <summary>CONTRACT.md §3 Limits: a peer over <c>MaxConcurrentCalls</c> gets 503 with Retry-After until a call ends.</summary>
public sealed class PeerCallLimitTests
{
    [Fact]
    public async Task Invite_OverMaxConcurrentCalls_Gets503WithRetryAfterUntilACallEnds()
    {
        await using var fixture = new ProxyFixture("carrier-1");
        var carrier = await fixture.StartCarrierAsync("carrier-1", SippScenarios.UasRingNoAnswer);
        var config = fixture.NewConfig() with { LogLevel = "Debug" };
        var peerConfig = ProxyTestConfig.Peer(ProxyFixture.Peer);
        peerConfig["MaxConcurrentCalls"] = 1;
        config.Peers.Add(peerConfig);
        config.Carriers.Add(ProxyTestConfig.Carrier("carrier-1", carrier.TlsPort));
        config.Routes.Add(ProxyTestConfig.Route("", "carrier-1"));
        await fixture.StartSipTrunkAsync(config);
        await using var peer = await PeerAuthenticationTests.ConnectAsync(fixture);

        var first = new Call();
        Assert.Equal(180, (await peer.SendAsync(first.Invite()))?.StatusCode);

        var second = new Call();
        var refused = await peer.SendAsync(second.Invite());
        Assert.Equal(503, refused?.StatusCode);
        Assert.True(refused!.TryGetFirstValue(HeaderId.RetryAfter, out var retryAfter), "503 needs Retry-After");
        Assert.True(int.Parse(retryAfter.ToString(), CultureInfo.InvariantCulture) > 0);
        await peer.SendOnlyAsync(second.Ack(refused));

        // The first call ends (CANCEL → 200, 487): its slot is free again.
        await peer.SendOnlyAsync(first.Cancel());
        var endings = new[] { await peer.ReadResponseAsync(), await peer.ReadResponseAsync() };
        var codes = endings.Select(r => $"{r?.StatusCode} {r?.CSeq?.Method}").ToList();
        Assert.True(codes.Contains("200 CANCEL") && codes.Contains("487 INVITE"), string.Join(", ", codes) + "\n" + fixture.Describe());

        var third = new Call();
        var admitted = await peer.SendAsync(third.Invite());
        Assert.True(admitted?.StatusCode == 180, $"{admitted?.StatusCode}: the slot must be free again\n{fixture.Describe()}");
        await peer.SendOnlyAsync(third.Cancel());
    }

    /// <summary>One call's identifiers and its INVITE, CANCEL and ACK texts.</summary>
    private sealed class Call
    {
        private readonly string _branch = "z9hG4bK" + Guid.NewGuid().ToString("N");
        private readonly string _callId = Guid.NewGuid().ToString("N") + "@limits";

        public string Invite() => Request("INVITE", toTag: null) + "Contact: <sip:pbx-a@127.0.0.1:5099;transport=tls>\r\n";

        public string Cancel() => Request("CANCEL", toTag: null) + "Content-Length: 0\r\n\r\n";

        // RFC 3261 §17.1.1.3: the ACK for a non-2xx final response, same branch, the response's To tag.
        public string Ack(SipResponse response) => Request("ACK", response.To?.Tag) + "Content-Length: 0\r\n\r\n";

        // RFC 3261 §9.1: CANCEL and this ACK repeat the INVITE's Request-URI, Via branch, From, To, Call-ID and CSeq number.
        private string Request(string method, string? toTag) =>
            $"{method} sip:+441632960999@localhost SIP/2.0\r\n"
            + $"Via: SIP/2.0/TLS 127.0.0.1:5099;branch={_branch};rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:pbx-a@localhost>;tag=caller\r\n"
            + "To: <sip:+441632960999@localhost>" + (toTag is null ? "" : ";tag=" + toTag) + "\r\n"
            + $"Call-ID: {_callId}\r\n"
            + $"CSeq: 1 {method}\r\n";
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Tests.Transactions;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Proxy;

/// <summary>
/// The drain on shutdown over the real proxy core and transaction layer, in virtual time: the gate refuses new calls
/// at once, calls may finish within the drain time, and at its end SipTrunk ends the rest itself.
/// </summary>
public sealed class ProxyDrainTests
{
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_NoCallInProgress_DrainedAtOnceEndingNone()
    {
        using var harness = Harness();
        var drain = Drain(harness);
        Assert.Equal(ProxyDrainState.Running, drain.State);

        Assert.Equal(0, await drain.RunAsync(DrainTime, Linger, CancellationToken.None));

        Assert.Equal(ProxyDrainState.Drained, drain.State);
        Assert.True(harness.Proxy.Draining);
    }

    [Fact]
    public async Task RunAsync_NewInviteWhileDraining_Gets503WithRetryAfterAndARejectedRecord()
    {
        using var harness = Harness();
        harness.FromPeer(ProxyTestData.Invite());
        harness.CarrierResponds("carrier-a", 200);
        var drain = Drain(harness);
        var running = drain.RunAsync(DrainTime, Linger, CancellationToken.None);
        Assert.Equal(ProxyDrainState.Draining, drain.State);

        harness.FromPeer(SipText.Parse(NewInvite("call-2@10.0.0.5")));

        var refusal = harness.PeerResponses()[^1];
        Assert.Equal((503, "call-2@10.0.0.5"), (refusal.StatusCode, refusal.CallId));
        Assert.Equal("30", refusal.GetFirstValueString(HeaderId.RetryAfter));
        Assert.Contains("shutting down", refusal.GetFirstValueString(HeaderId.Warning), StringComparison.Ordinal);
        Assert.Single(harness.ReceivedBy("carrier-a"));
        var rejected = Assert.Single(harness.Summaries);
        Assert.Equal(("call-2@10.0.0.5", CallStatus.Rejected, 503, "proxy", "draining"), (rejected.CallId, rejected.Status, rejected.SipCode, rejected.EndedBy, rejected.EndReason));
        Assert.False(running.IsCompleted);

        harness.Time.Advance(DrainTime);
        await RespondToTeardownAsync(harness);
        Assert.Equal(1, await running.WaitAsync(Bound));
    }

    [Fact]
    public async Task RunAsync_CallHungUpWithinDrainTime_EndsOnItsOwnWithoutBye()
    {
        using var harness = Harness();
        harness.FromPeer(ProxyTestData.Invite());
        var recordRoute = harness.CarrierResponds("carrier-a", 200).GetFirstValueString(HeaderId.RecordRoute)!;
        var drain = Drain(harness);
        var running = drain.RunAsync(DrainTime, Linger, CancellationToken.None);
        harness.Time.Advance(DrainTime - TimeSpan.FromSeconds(1));
        Assert.False(running.IsCompleted);

        // In-dialog requests still flow while draining: the caller's BYE reaches the carrier and ends the call.
        harness.FromPeer(SipText.Parse(
            "BYE sip:callee@192.0.2.10:5060;transport=tcp SIP/2.0\r\nVia: SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bK-bye-1\r\nMax-Forwards: 70\r\n"
            + $"Route: {recordRoute}\r\nFrom: <sip:pbx-a@10.0.0.5>;tag=caller-tag\r\nTo: <sip:+441632960123@trunk.example.net>;tag=callee-tag\r\nCall-ID: call-1@10.0.0.5\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n"));
        harness.CarrierResponds("carrier-a", 200, SipMethod.Bye);

        Assert.Equal(0, await running.WaitAsync(Bound));
        Assert.Equal(ProxyDrainState.Drained, drain.State);
        Assert.Single(harness.ReceivedBy("carrier-a", SipMethod.Bye));
        Assert.DoesNotContain(harness.PeerFlow.SentMessages().OfType<SipRequest>(), r => r.Method == SipMethod.Bye);
        var summary = Assert.Single(harness.Summaries);
        Assert.Equal((CallStatus.Answered, "caller"), (summary.Status, summary.EndedBy));
    }

    [Fact]
    public async Task RunAsync_AnsweredCallAtDeadline_ByeToBothSidesRecordedAsShutdown()
    {
        using var harness = Harness();
        harness.FromPeer(ProxyTestData.Invite());
        harness.CarrierResponds("carrier-a", 200);
        var drain = Drain(harness);
        var running = drain.RunAsync(DrainTime, Linger, CancellationToken.None);
        harness.Time.Advance(DrainTime - TimeSpan.FromSeconds(1));
        Assert.Empty(harness.ReceivedBy("carrier-a", SipMethod.Bye));

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        var (toCarrier, toPeer) = await RespondToTeardownAsync(harness);

        Assert.Equal(1, await running.WaitAsync(Bound));
        Assert.Equal(ProxyDrainState.Drained, drain.State);
        Assert.Equal("SIP;cause=503;text=\"shutdown\"", ReasonHeader(toCarrier));
        Assert.Equal("SIP;cause=503;text=\"shutdown\"", ReasonHeader(toPeer));
        var summary = Assert.Single(harness.Summaries);
        Assert.Equal((CallStatus.Answered, "proxy", "shutdown"), (summary.Status, summary.EndedBy, summary.EndReason));
        Assert.Equal(0, harness.Proxy.LiveCallCount);
        Assert.Equal(0, harness.Proxy.AnsweredCallCount);
    }

    [Fact]
    public async Task RunAsync_ByesUnanswered_DrainedOnceTheLingerIsOver()
    {
        using var harness = Harness();
        harness.FromPeer(ProxyTestData.Invite());
        harness.CarrierResponds("carrier-a", 200);
        var drain = Drain(harness);
        var running = drain.RunAsync(DrainTime, Linger, CancellationToken.None);
        harness.Time.Advance(DrainTime);
        await WaitUntilAsync(() => drain.State == ProxyDrainState.EndingCalls && harness.ReceivedBy("carrier-a", SipMethod.Bye).Count == 1);
        Assert.False(running.IsCompleted);

        // The linger's timer starts on the drain's thread just after the BYEs go out, which this thread may see first:
        // advance by the linger until the drain has seen one expire (bounded by WaitUntilAsync).
        await WaitUntilAsync(() =>
        {
            harness.Time.Advance(Linger);
            return running.IsCompleted;
        });

        Assert.Equal(1, await running.WaitAsync(Bound));
        Assert.Equal(("proxy", "shutdown"), (harness.Summaries[0].EndedBy, harness.Summaries[0].EndReason));
    }

    [Fact]
    public async Task RunAsync_RingingCallAtDeadline_CancelledTowardCarrierAnd487ToCaller()
    {
        using var harness = Harness();
        harness.FromPeer(ProxyTestData.Invite());
        harness.CarrierResponds("carrier-a", 180);
        var drain = Drain(harness);
        var running = drain.RunAsync(DrainTime, Linger, CancellationToken.None);

        harness.Time.Advance(DrainTime);

        Assert.Equal(1, await running.WaitAsync(Bound));
        Assert.Single(harness.ReceivedBy("carrier-a", SipMethod.Cancel));
        var final = harness.PeerResponses()[^1];
        Assert.Equal(487, final.StatusCode);
        Assert.Contains("shutdown", final.GetFirstValueString(HeaderId.Warning), StringComparison.Ordinal);
        var summary = Assert.Single(harness.Summaries);
        Assert.Equal((CallStatus.Cancelled, 487, "proxy", "shutdown"), (summary.Status, summary.SipCode, summary.EndedBy, summary.EndReason));
        Assert.Equal("cancelled: shutdown", summary.Attempts[^1].Reason);
    }

    [Fact]
    public async Task RunAsync_CallerCancelsWhileDraining_CallEndsOnItsOwn()
    {
        using var harness = Harness();
        harness.FromPeer(ProxyTestData.Invite());
        harness.CarrierResponds("carrier-a", 180);
        var drain = Drain(harness);
        var running = drain.RunAsync(DrainTime, Linger, CancellationToken.None);

        harness.FromPeer(SipText.Parse(
            "CANCEL sip:+441632960123@127.0.0.1:5061 SIP/2.0\r\nVia: SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bK-caller-1\r\nMax-Forwards: 70\r\n"
            + "From: <sip:pbx-a@10.0.0.5>;tag=caller-tag\r\nTo: <sip:+441632960123@trunk.example.net>\r\nCall-ID: call-1@10.0.0.5\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n"));
        Assert.Single(harness.ReceivedBy("carrier-a", SipMethod.Cancel));
        harness.CarrierResponds("carrier-a", 487);

        Assert.Equal(0, await running.WaitAsync(Bound));
        var summary = Assert.Single(harness.Summaries);
        Assert.Equal((CallStatus.Cancelled, "caller"), (summary.Status, summary.EndedBy));
    }

    // The INVITE timeout is longer than the drain time: a ringing call is still ringing at its end.
    private static ProxyHarness Harness() => new([ProxyTestData.Carrier("carrier-a", 5081)], ProxyTestData.Settings with { InviteTimeout = DrainTime * 2 });

    private static ProxyDrain Drain(ProxyHarness harness) => new(harness.Proxy, harness.Time, NullLogger<ProxyDrain>.Instance);

    // SipTrunk's BYEs reach both parties (from another thread: the drain resumes on the pool), and both answer 200.
    private static async Task<(SipRequest ToCarrier, SipRequest ToPeer)> RespondToTeardownAsync(ProxyHarness harness)
    {
        await WaitUntilAsync(() => harness.ReceivedBy("carrier-a", SipMethod.Bye).Count == 1
            && harness.PeerFlow.SentMessages().OfType<SipRequest>().Any(r => r.Method == SipMethod.Bye));
        var toCarrier = harness.ReceivedBy("carrier-a", SipMethod.Bye)[0];
        var toPeer = harness.PeerFlow.SentMessages().OfType<SipRequest>().Single(r => r.Method == SipMethod.Bye);
        harness.CarrierResponds("carrier-a", 200, SipMethod.Bye);
        harness.FromPeer(SipText.Parse(System.Text.Encoding.ASCII.GetString(SipResponses.Create(toPeer, 200, null, null).ToArray())));
        return (toCarrier, toPeer);
    }

    private static string? ReasonHeader(SipRequest request)
    {
        foreach (var value in request.GetValues("Reason"))
        {
            return value.ToString();
        }

        return null;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(5);
        }
    }

    private static string NewInvite(string callId) =>
        "INVITE sip:+441632960124@127.0.0.1:5061 SIP/2.0\r\nVia: SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bK-caller-2\r\nMax-Forwards: 70\r\n"
        + $"From: <sip:pbx-a@10.0.0.5>;tag=caller-tag-2\r\nTo: <sip:+441632960124@trunk.example.net>\r\nCall-ID: {callId}\r\nCSeq: 1 INVITE\r\n"
        + "Contact: <sip:pbx-a@10.0.0.5:5060;transport=tcp>\r\nContent-Length: 0\r\n\r\n";
}

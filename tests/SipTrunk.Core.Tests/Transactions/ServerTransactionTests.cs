using SipTrunk.Core.Transactions;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Transactions;

public sealed class ServerTransactionTests
{
    private const string Branch = "z9hG4bK-server-1";

    private readonly TransactionHarness _harness = new();

    [Fact]
    public void OnMessage_NewInvite_Sends100TryingAndReportsOnce()
    {
        var flow = _harness.Flow();

        var transaction = _harness.ReceiveNew(SipText.Request("INVITE", Branch), flow);

        Assert.Equal(["SIP/2.0 100 Trying"], flow.StartLines);
        Assert.DoesNotContain("tag=", SipText.Header(flow.Last, HeaderId.To), StringComparison.Ordinal);
        Assert.Equal(TransactionState.Proceeding, transaction.State);
        Assert.Equal(100, transaction.LastStatusCode);
        Assert.Equal(Branch, transaction.Branch);
        Assert.Same(flow, transaction.Flow);
        Assert.Equal(1, _harness.Layer.ServerTransactionCount);
        Assert.Equal(1, _harness.Metrics.SipRequests.Get("INVITE"));
    }

    [Fact]
    public void OnMessage_InviteRetransmissionInProceeding_ResendsLastProvisionalWithoutTheUser()
    {
        var flow = _harness.Flow(SipTransportKind.Udp);
        var transaction = _harness.ReceiveNew(SipText.Request("INVITE", Branch), flow);
        Assert.True(transaction.SendResponse(180, TransactionHarness.ResponseTo(transaction, 180)));

        _harness.Receive(SipText.Request("INVITE", Branch), flow);

        Assert.Equal(["SIP/2.0 100 Trying", "SIP/2.0 180 Ringing", "SIP/2.0 180 Ringing"], flow.StartLines);
        Assert.Single(_harness.User.Requests);
        Assert.Equal(1, _harness.Metrics.SipRequests.Get("INVITE"));
    }

    [Fact]
    public void OnMessage_RetransmissionWithUpperCaseBranch_MatchesTheTransaction()
    {
        var flow = _harness.Flow();
        _harness.ReceiveNew(SipText.Request("OPTIONS", "z9hG4bKcase"), flow);

        _harness.Receive(SipText.Request("OPTIONS", "z9hG4bKCASE"), flow);

        Assert.Single(_harness.User.Requests);
        Assert.Equal(0, flow.SentCount);
        Assert.Equal(0, _harness.Metrics.MalformedMessages.Get("tls"));
    }

    [Fact]
    public void OnMessage_SameBranchFromAnotherSentBy_IsANewTransaction()
    {
        var flow = _harness.Flow();
        _harness.ReceiveNew(SipText.Request("OPTIONS", Branch), flow);

        _harness.Receive(SipText.Request("OPTIONS", Branch, sentBy: "192.0.2.99:5061"), flow);

        Assert.Equal(2, _harness.User.Requests.Count);
    }

    [Fact]
    public void SendResponse_NonSuccessFinalOnUdp_TimerGDoublesUpToT2UntilTimerH()
    {
        var flow = _harness.Flow(SipTransportKind.Udp);
        var transaction = _harness.ReceiveNew(SipText.Request("INVITE", Branch), flow);
        var start = _harness.Time.GetUtcNow();
        Assert.True(transaction.SendResponse(486, TransactionHarness.ResponseTo(transaction, 486)));

        _harness.Advance(TransactionHarness.SixtyFourT1 - TimeSpan.FromMilliseconds(1));
        Assert.Equal(TransactionState.Completed, transaction.State);
        _harness.Advance(TimeSpan.FromMilliseconds(1));

        // 100, the 486, then Timer G: T1, 2·T1, 4·T1, then T2 until Timer H (64·T1) ends the transaction.
        var intervals = TransactionHarness.Intervals(flow).Skip(1).ToArray();
        static TimeSpan ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
        Assert.Equal([ms(500), ms(1000), ms(2000), ms(4000), ms(4000), ms(4000), ms(4000), ms(4000), ms(4000), ms(4000)], intervals);
        Assert.All(flow.StartLines.Skip(1), line => Assert.Equal("SIP/2.0 486 Busy Here", line));
        Assert.True(flow.SentTimes[^1] - start < TransactionHarness.SixtyFourT1);
        Assert.Equal(TransactionState.Terminated, transaction.State);
        Assert.Equal(0, _harness.Layer.ServerTransactionCount);
    }

    [Fact]
    public void OnMessage_AckForNonSuccessOnUdp_ConfirmsStopsTimerGAndTimerIEnds()
    {
        var flow = _harness.Flow(SipTransportKind.Udp);
        var transaction = _harness.ReceiveNew(SipText.Request("INVITE", Branch), flow);
        transaction.SendResponse(486, TransactionHarness.ResponseTo(transaction, 486));

        _harness.Receive(SipText.Request("ACK", Branch, toTag: "s1"), flow);
        var sent = flow.SentCount;

        Assert.Equal(TransactionState.Confirmed, transaction.State);
        _harness.Receive(SipText.Request("ACK", Branch, toTag: "s1"), flow);
        _harness.Advance(TransactionHarness.T4 - TimeSpan.FromMilliseconds(1));
        Assert.Equal(TransactionState.Confirmed, transaction.State);
        _harness.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(TransactionState.Terminated, transaction.State);
        Assert.Equal(sent, flow.SentCount);
        Assert.Empty(_harness.User.Acks);
        Assert.Equal(1, _harness.Metrics.SipRequests.Get("ACK"));
        Assert.Equal(0, _harness.Layer.ServerTransactionCount);
    }

    [Fact]
    public void OnMessage_AckForNonSuccessOnReliableFlow_EndsAtOnceWithoutRetransmissions()
    {
        var flow = _harness.Flow(SipTransportKind.Tls);
        var transaction = _harness.ReceiveNew(SipText.Request("INVITE", Branch), flow);
        transaction.SendResponse(404, TransactionHarness.ResponseTo(transaction, 404));
        _harness.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, flow.SentCount);

        _harness.Receive(SipText.Request("ACK", Branch, toTag: "s1"), flow);

        Assert.Equal(TransactionState.Terminated, transaction.State);
        Assert.Equal(0, _harness.Layer.ServerTransactionCount);
    }

    [Fact]
    public void SendResponse_NonSuccessOnReliableFlowWithoutAck_TimerHEnds()
    {
        var flow = _harness.Flow(SipTransportKind.Tcp);
        var transaction = _harness.ReceiveNew(SipText.Request("INVITE", Branch), flow);
        transaction.SendResponse(404, TransactionHarness.ResponseTo(transaction, 404));

        _harness.Advance(TransactionHarness.SixtyFourT1 - TimeSpan.FromMilliseconds(1));
        Assert.Equal(TransactionState.Completed, transaction.State);
        _harness.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(TransactionState.Terminated, transaction.State);
        Assert.Equal(2, flow.SentCount);
        Assert.Equal(0, _harness.Layer.ServerTransactionCount);
    }

    [Fact]
    public void OnMessage_InviteRetransmissionInCompleted_ResendsTheFinal()
    {
        var flow = _harness.Flow();
        var transaction = _harness.ReceiveNew(SipText.Request("INVITE", Branch), flow);
        transaction.SendResponse(503, TransactionHarness.ResponseTo(transaction, 503));

        _harness.Receive(SipText.Request("INVITE", Branch), flow);

        Assert.Equal(["SIP/2.0 100 Trying", "SIP/2.0 503 Service Unavailable", "SIP/2.0 503 Service Unavailable"], flow.StartLines);
        Assert.Single(_harness.User.Requests);
    }

    [Fact]
    public void SendResponse_SuccessToInvite_AcceptedPassesFurther2xxAndAcksThenTimerLEnds()
    {
        var flow = _harness.Flow(SipTransportKind.Udp);
        var transaction = _harness.ReceiveNew(SipText.Request("INVITE", Branch), flow);

        Assert.True(transaction.SendResponse(200, TransactionHarness.ResponseTo(transaction, 200)));
        Assert.Equal(TransactionState.Accepted, transaction.State);
        Assert.True(transaction.SendResponse(200, TransactionHarness.ResponseTo(transaction, 200, "other-fork")));
        Assert.False(transaction.SendResponse(180, TransactionHarness.ResponseTo(transaction, 180)));
        Assert.False(transaction.SendResponse(486, TransactionHarness.ResponseTo(transaction, 486)));
        _harness.Receive(SipText.Request("INVITE", Branch), flow);
        _harness.Receive(SipText.Request("ACK", Branch, toTag: "s1"), flow);
        _harness.Receive(SipText.Request("ACK", Branch, toTag: "other-fork"), flow);

        // RFC 6026 §7.1: no layer retransmission of the 2xx, the INVITE retransmission absorbed, ACKs to the TU.
        Assert.Equal(["SIP/2.0 100 Trying", "SIP/2.0 200 OK", "SIP/2.0 200 OK"], flow.StartLines);
        Assert.Equal(2, _harness.User.Acks.Count);
        _harness.Advance(TransactionHarness.SixtyFourT1 - TimeSpan.FromMilliseconds(1));
        Assert.Equal(TransactionState.Accepted, transaction.State);
        Assert.Equal(3, flow.SentCount);
        _harness.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TransactionState.Terminated, transaction.State);
        Assert.Equal(0, _harness.Layer.ServerTransactionCount);
    }

    [Fact]
    public void OnMessage_AckMatchingNoTransaction_GoesToTheUser()
    {
        var flow = _harness.Flow();

        _harness.Receive(SipText.Request("ACK", "z9hG4bK-2xx-ack", toTag: "s1"), flow);

        var ack = Assert.Single(_harness.User.Acks);
        Assert.Equal(SipMethod.Ack, ack.Method);
        Assert.Empty(flow.StartLines);
        Assert.Equal(0, _harness.Layer.ServerTransactionCount);
    }

    [Fact]
    public void SendResponse_AfterNonSuccessFinal_ReturnsFalse()
    {
        var flow = _harness.Flow();
        var transaction = _harness.ReceiveNew(SipText.Request("INVITE", Branch), flow);
        transaction.SendResponse(486, TransactionHarness.ResponseTo(transaction, 486));

        Assert.False(transaction.SendResponse(200, TransactionHarness.ResponseTo(transaction, 200)));
        Assert.Equal(2, flow.SentCount);
    }

    [Fact]
    public void SendResponse_FlowRefuses_ReturnsFalseAndTerminates()
    {
        var flow = _harness.Flow();
        var transaction = _harness.ReceiveNew(SipText.Request("INVITE", Branch), flow);
        flow.RefuseSends = true;

        Assert.False(transaction.SendResponse(180, TransactionHarness.ResponseTo(transaction, 180)));

        Assert.Equal(TransactionState.Terminated, transaction.State);
        Assert.Equal(0, _harness.Layer.ServerTransactionCount);
    }

    [Fact]
    public void OnMessage_NonInviteRetransmissionInTrying_IsAbsorbedSilently()
    {
        var flow = _harness.Flow(SipTransportKind.Udp);
        var transaction = _harness.ReceiveNew(SipText.Request("REGISTER", Branch), flow);

        _harness.Receive(SipText.Request("REGISTER", Branch), flow);

        Assert.Equal(TransactionState.Trying, transaction.State);
        Assert.Empty(flow.StartLines);
        Assert.Single(_harness.User.Requests);
        Assert.Equal(1, _harness.Metrics.SipRequests.Get("REGISTER"));
    }

    [Fact]
    public void SendResponse_NonInviteFinalOnUdp_ResendsOnRetransmissionUntilTimerJ()
    {
        var flow = _harness.Flow(SipTransportKind.Udp);
        var transaction = _harness.ReceiveNew(SipText.Request("OPTIONS", Branch), flow);
        transaction.SendResponse(100, TransactionHarness.ResponseTo(transaction, 100));
        Assert.Equal(TransactionState.Proceeding, transaction.State);
        _harness.Receive(SipText.Request("OPTIONS", Branch), flow);

        Assert.True(transaction.SendResponse(200, TransactionHarness.ResponseTo(transaction, 200)));
        _harness.Receive(SipText.Request("OPTIONS", Branch), flow);
        Assert.Equal(TransactionState.Completed, transaction.State);
        _harness.Advance(TransactionHarness.SixtyFourT1 - TimeSpan.FromMilliseconds(1));
        Assert.Equal(TransactionState.Completed, transaction.State);
        _harness.Advance(TimeSpan.FromMilliseconds(1));

        // The non-INVITE final is only resent on a retransmitted request, never on a timer (§17.2.2).
        Assert.Equal(["SIP/2.0 100 Trying", "SIP/2.0 100 Trying", "SIP/2.0 200 OK", "SIP/2.0 200 OK"], flow.StartLines);
        Assert.Equal(TransactionState.Terminated, transaction.State);
        Assert.Equal(0, _harness.Layer.ServerTransactionCount);
    }

    [Fact]
    public void SendResponse_NonInviteFinalOnReliableFlow_EndsAtOnce()
    {
        var flow = _harness.Flow(SipTransportKind.Tls);
        var transaction = _harness.ReceiveNew(SipText.Request("OPTIONS", Branch), flow);

        Assert.True(transaction.SendResponse(200, TransactionHarness.ResponseTo(transaction, 200)));

        Assert.Equal(TransactionState.Terminated, transaction.State);
        Assert.Equal(0, _harness.Layer.ServerTransactionCount);
        Assert.Equal(["SIP/2.0 200 OK"], flow.StartLines);
        Assert.Equal(200, transaction.LastStatusCode);
    }

    [Fact]
    public void OnMessage_Cancel_HasItsOwnTransactionAndFindsTheInvite()
    {
        var flow = _harness.Flow();
        var invite = _harness.ReceiveNew(SipText.Request("INVITE", Branch), flow);

        var cancel = _harness.ReceiveNew(SipText.Request("CANCEL", Branch), flow);

        Assert.NotSame(invite, cancel);
        Assert.False(cancel.IsInvite);
        Assert.Equal(TransactionState.Trying, cancel.State);
        Assert.Same(invite, _harness.Layer.FindInviteServerTransaction(cancel.Request));
        Assert.Equal(2, _harness.Layer.ServerTransactionCount);
    }

    [Fact]
    public void FindInviteServerTransaction_CancelFromAnotherSentBy_ReturnsNull()
    {
        var flow = _harness.Flow();
        _harness.ReceiveNew(SipText.Request("INVITE", Branch), flow);

        var cancel = SipText.ParseRequest(SipText.Request("CANCEL", Branch, sentBy: "192.0.2.99:5061"));

        Assert.Null(_harness.Layer.FindInviteServerTransaction(cancel));
    }
}

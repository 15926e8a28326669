using SipTrunk.Core.Transactions;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Transactions;

public sealed class ClientTransactionTests
{
    private static readonly TimeSpan Millisecond = TimeSpan.FromMilliseconds(1);

    private readonly TransactionHarness _harness = new();
    private readonly RecordingClientUser _user = new();

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    [Fact]
    public void StartClientTransaction_InviteOnUdp_TimerADoublesUntilTimerBReportsTimeoutOnce()
    {
        var flow = _harness.Flow(SipTransportKind.Udp);
        var transaction = _harness.StartClient(flow, "INVITE", _user, out _);
        Assert.Equal(TransactionState.Calling, transaction.State);

        _harness.Advance(TransactionHarness.SixtyFourT1 - Millisecond);
        Assert.Empty(_user.Events);
        _harness.Advance(Millisecond);
        _harness.Advance(TimeSpan.FromSeconds(64));

        Assert.Equal([Ms(500), Ms(1000), Ms(2000), Ms(4000), Ms(8000), Ms(16000)], TransactionHarness.Intervals(flow));
        Assert.All(flow.StartLines, line => Assert.StartsWith("INVITE ", line, StringComparison.Ordinal));
        Assert.Equal(["timeout"], _user.Events);
        Assert.Equal(TransactionState.Terminated, transaction.State);
        Assert.Equal(0, _harness.Layer.ClientTransactionCount);
    }

    [Fact]
    public void StartClientTransaction_NonInviteOnUdp_TimerEDoublesUpToT2UntilTimerF()
    {
        var flow = _harness.Flow(SipTransportKind.Udp);
        var transaction = _harness.StartClient(flow, "OPTIONS", _user, out _);
        Assert.Equal(TransactionState.Trying, transaction.State);

        _harness.Advance(TransactionHarness.SixtyFourT1 - Millisecond);
        Assert.Empty(_user.Events);
        _harness.Advance(Millisecond);

        Assert.Equal([Ms(500), Ms(1000), Ms(2000), Ms(4000), Ms(4000), Ms(4000), Ms(4000), Ms(4000), Ms(4000), Ms(4000)], TransactionHarness.Intervals(flow));
        Assert.Equal(["timeout"], _user.Events);
        Assert.Equal(0, _harness.Layer.ClientTransactionCount);
    }

    [Fact]
    public void OnMessage_ProvisionalToNonInviteOnUdp_TimerERunsAtT2()
    {
        var flow = _harness.Flow(SipTransportKind.Udp);
        var transaction = _harness.StartClient(flow, "REGISTER", _user, out var branch);
        _harness.Advance(Ms(500));

        _harness.Receive(SipText.Response(100, branch, "REGISTER", toTag: null), flow);
        _harness.Advance(TimeSpan.FromSeconds(12));

        Assert.Equal(TransactionState.Proceeding, transaction.State);
        Assert.Equal(["100"], _user.Events);

        // The retransmission after 0.5 s was armed for 1 s; every later one runs at T2.
        Assert.Equal([Ms(500), Ms(1000), Ms(4000), Ms(4000)], TransactionHarness.Intervals(flow));
    }

    [Fact]
    public void StartClientTransaction_InviteOnReliableFlow_NoRetransmissionsAndTimerBTimesOut()
    {
        var flow = _harness.Flow(SipTransportKind.Tls);
        _harness.StartClient(flow, "INVITE", _user, out _);

        _harness.Advance(TransactionHarness.SixtyFourT1);

        Assert.Equal(1, flow.SentCount);
        Assert.Equal(["timeout"], _user.Events);
        Assert.Equal(0, _harness.Layer.ClientTransactionCount);
    }

    [Fact]
    public void OnMessage_ProvisionalToInvite_StopsTimerAAndTimerB()
    {
        var flow = _harness.Flow(SipTransportKind.Udp);
        var transaction = _harness.StartClient(flow, "INVITE", _user, out var branch);
        _harness.Advance(Ms(600));

        _harness.Receive(SipText.Response(180, branch, "INVITE"), flow);
        _harness.Advance(TimeSpan.FromSeconds(100));

        Assert.Equal(2, flow.SentCount);
        Assert.Equal(["180"], _user.Events);
        Assert.Equal(TransactionState.Proceeding, transaction.State);
        Assert.Equal(1, _harness.Layer.ClientTransactionCount);
    }

    [Fact]
    public void OnMessage_NonSuccessFinalToInvite_LayerSendsAckPerRfc3261Section17113()
    {
        var flow = _harness.Flow(SipTransportKind.Udp);
        var transaction = _harness.StartClient(flow, "INVITE", _user, out var branch);
        var invite = SipText.ParseRequest(System.Text.Encoding.Latin1.GetString(transaction.Request.Span));

        _harness.Receive(SipText.Response(486, branch, "INVITE", toTag: "busy-tag"), flow);

        Assert.Equal(["486"], _user.Events);
        Assert.Equal(TransactionState.Completed, transaction.State);
        var ack = Assert.IsType<SipRequest>(flow.Last);
        Assert.Equal(SipMethod.Ack, ack.Method);
        Assert.Equal(invite.RequestUriText, ack.RequestUriText);
        Assert.Equal([SipText.Headers(invite, HeaderId.Via)[0]], SipText.Headers(ack, HeaderId.Via));
        Assert.Equal(branch, ack.Via!.Branch);
        Assert.Equal(SipText.Headers(invite, HeaderId.Route), SipText.Headers(ack, HeaderId.Route));
        Assert.Equal(invite.CallId, ack.CallId);
        Assert.Equal(SipText.Header(invite, HeaderId.From), SipText.Header(ack, HeaderId.From));
        Assert.Equal("<sip:+15551234@carrier.example.com>;tag=busy-tag", SipText.Header(ack, HeaderId.To));
        Assert.Equal("1 ACK", SipText.Header(ack, HeaderId.CSeq));
        Assert.Equal(70, ack.MaxForwards);
        Assert.False(ack.Contains(HeaderId.Contact));
        Assert.True(ack.Body.IsEmpty);
        Assert.Equal(0, ack.DeclaredContentLength);
    }

    [Fact]
    public void OnMessage_RetransmittedNonSuccessFinal_AckResentAndUserNotCalledUntilTimerD()
    {
        var flow = _harness.Flow(SipTransportKind.Udp);
        var transaction = _harness.StartClient(flow, "INVITE", _user, out var branch);
        _harness.Receive(SipText.Response(486, branch, "INVITE"), flow);

        _harness.Receive(SipText.Response(486, branch, "INVITE"), flow);

        Assert.Equal(["486"], _user.Events);
        Assert.Equal(["ACK", "ACK"], flow.Sent.Skip(1).Select(m => ((SipRequest)m).MethodName));
        _harness.Advance(TimeSpan.FromSeconds(32) - Millisecond);
        Assert.Equal(TransactionState.Completed, transaction.State);
        _harness.Advance(Millisecond);
        Assert.Equal(TransactionState.Terminated, transaction.State);
        Assert.Equal(0, _harness.Layer.ClientTransactionCount);
        Assert.Equal(3, flow.SentCount);
    }

    [Fact]
    public void OnMessage_NonSuccessFinalToInviteOnReliableFlow_AcksAndEndsAtOnce()
    {
        var flow = _harness.Flow(SipTransportKind.Tls);
        var transaction = _harness.StartClient(flow, "INVITE", _user, out var branch);

        _harness.Receive(SipText.Response(603, branch, "INVITE"), flow);

        Assert.Equal(TransactionState.Terminated, transaction.State);
        Assert.Equal(0, _harness.Layer.ClientTransactionCount);
        Assert.Equal("ACK", ((SipRequest)flow.Last).MethodName);
        Assert.Equal(["603"], _user.Events);
    }

    [Fact]
    public void OnMessage_SuccessToInvite_AcceptedReportsEvery2xxUntilTimerMThenStray()
    {
        var flow = _harness.Flow(SipTransportKind.Udp);
        var transaction = _harness.StartClient(flow, "INVITE", _user, out var branch);

        _harness.Receive(SipText.Response(200, branch, "INVITE", toTag: "fork-1"), flow);
        _harness.Receive(SipText.Response(200, branch, "INVITE", toTag: "fork-1"), flow);
        _harness.Receive(SipText.Response(200, branch, "INVITE", toTag: "fork-2"), flow);
        _harness.Receive(SipText.Response(180, branch, "INVITE", toTag: "fork-3"), flow);
        Assert.Equal(TransactionState.Accepted, transaction.State);
        _harness.Advance(TransactionHarness.SixtyFourT1 - Millisecond);
        Assert.Equal(TransactionState.Accepted, transaction.State);
        _harness.Advance(Millisecond);
        _harness.Receive(SipText.Response(200, branch, "INVITE", toTag: "fork-1"), flow);

        // The layer never ACKs a 2xx and never retransmits the INVITE after it (the TU ACKs end to end).
        Assert.Equal(["200", "200", "200"], _user.Events);
        Assert.Equal(["fork-1", "fork-1", "fork-2"], _user.Responses.Select(r => r.To!.Tag));
        Assert.Equal(1, flow.SentCount);
        Assert.Equal(TransactionState.Terminated, transaction.State);
        Assert.Single(_harness.User.StrayResponses);
        Assert.Equal(0, _harness.Layer.ClientTransactionCount);
    }

    [Fact]
    public void OnMessage_FinalToNonInviteOnUdp_RetransmissionsAbsorbedUntilTimerK()
    {
        var flow = _harness.Flow(SipTransportKind.Udp);
        var transaction = _harness.StartClient(flow, "OPTIONS", _user, out var branch);

        _harness.Receive(SipText.Response(200, branch, "OPTIONS"), flow);
        _harness.Receive(SipText.Response(200, branch, "OPTIONS"), flow);
        _harness.Advance(TransactionHarness.T4 - Millisecond);
        Assert.Equal(TransactionState.Completed, transaction.State);
        _harness.Advance(Millisecond);

        Assert.Equal(["200"], _user.Events);
        Assert.Equal(1, flow.SentCount);
        Assert.Equal(TransactionState.Terminated, transaction.State);
        Assert.Equal(0, _harness.Layer.ClientTransactionCount);
        Assert.Empty(_harness.User.StrayResponses);
    }

    [Fact]
    public void OnMessage_FinalToNonInviteOnReliableFlow_EndsAtOnce()
    {
        var flow = _harness.Flow(SipTransportKind.Tcp);
        var transaction = _harness.StartClient(flow, "BYE", _user, out var branch);

        _harness.Receive(SipText.Response(481, branch, "BYE"), flow);

        Assert.Equal(["481"], _user.Events);
        Assert.Equal(TransactionState.Terminated, transaction.State);
        Assert.Equal(0, _harness.Layer.ClientTransactionCount);
    }

    [Fact]
    public void Cancel_InProceeding_SendsCancelPerRfc3261Section91AndSwallowsItsResponse()
    {
        var flow = _harness.Flow();
        var transaction = _harness.StartClient(flow, "INVITE", _user, out var branch);
        var invite = SipText.ParseRequest(System.Text.Encoding.Latin1.GetString(transaction.Request.Span));
        _harness.Receive(SipText.Response(183, branch, "INVITE"), flow);

        transaction.Cancel();
        transaction.Cancel();

        var cancel = Assert.IsType<SipRequest>(flow.Last);
        Assert.Equal(2, flow.SentCount);
        Assert.Equal(SipMethod.Cancel, cancel.Method);
        Assert.Equal(invite.RequestUriText, cancel.RequestUriText);
        Assert.Equal([SipText.Headers(invite, HeaderId.Via)[0]], SipText.Headers(cancel, HeaderId.Via));
        Assert.Equal(SipText.Headers(invite, HeaderId.Route), SipText.Headers(cancel, HeaderId.Route));
        Assert.Equal(invite.CallId, cancel.CallId);
        Assert.Equal(SipText.Header(invite, HeaderId.From), SipText.Header(cancel, HeaderId.From));
        Assert.Equal(SipText.Header(invite, HeaderId.To), SipText.Header(cancel, HeaderId.To));
        Assert.Equal("1 CANCEL", SipText.Header(cancel, HeaderId.CSeq));
        Assert.Equal(70, cancel.MaxForwards);
        Assert.True(cancel.Body.IsEmpty);
        Assert.Equal(2, _harness.Layer.ClientTransactionCount);

        _harness.Receive(SipText.Response(200, branch, "CANCEL"), flow);
        _harness.Receive(SipText.Response(487, branch, "INVITE"), flow);

        Assert.Equal(["183", "487"], _user.Events);
        Assert.Empty(_harness.User.StrayResponses);
        Assert.Equal("ACK", ((SipRequest)flow.Last).MethodName);
        Assert.Equal(0, _harness.Layer.ClientTransactionCount);
    }

    [Fact]
    public void Cancel_InCalling_DeferredUntilTheFirstProvisional()
    {
        var flow = _harness.Flow();
        var transaction = _harness.StartClient(flow, "INVITE", _user, out var branch);

        transaction.Cancel();
        Assert.Equal(1, flow.SentCount);
        _harness.Receive(SipText.Response(100, branch, "INVITE", toTag: null), flow);

        Assert.Equal(2, flow.SentCount);
        Assert.Equal(SipMethod.Cancel, ((SipRequest)flow.Last).Method);
        Assert.Equal(["100"], _user.Events);
    }

    [Fact]
    public void Cancel_InCallingWithoutAnyProvisional_NeverSentAndTimerBReports()
    {
        var flow = _harness.Flow();
        var transaction = _harness.StartClient(flow, "INVITE", _user, out _);

        transaction.Cancel();
        _harness.Advance(TransactionHarness.SixtyFourT1);

        Assert.Equal(1, flow.SentCount);
        Assert.Equal(["timeout"], _user.Events);
        Assert.Equal(0, _harness.Layer.ClientTransactionCount);
    }

    [Fact]
    public void Cancel_AfterFinal_SendsNothing()
    {
        var flow = _harness.Flow(SipTransportKind.Udp);
        var transaction = _harness.StartClient(flow, "INVITE", _user, out var branch);
        _harness.Receive(SipText.Response(180, branch, "INVITE"), flow);
        _harness.Receive(SipText.Response(404, branch, "INVITE"), flow);
        var sent = flow.SentCount;

        transaction.Cancel();

        Assert.Equal(sent, flow.SentCount);
        Assert.Equal(1, _harness.Layer.ClientTransactionCount);
    }

    [Fact]
    public void Cancel_NoFinalAfterTheCancel_InviteTimesOutAfter64T1()
    {
        var flow = _harness.Flow();
        var transaction = _harness.StartClient(flow, "INVITE", _user, out var branch);
        _harness.Receive(SipText.Response(180, branch, "INVITE"), flow);
        _harness.Advance(TimeSpan.FromSeconds(100));

        transaction.Cancel();
        _harness.Receive(SipText.Response(200, branch, "CANCEL"), flow);
        _harness.Advance(TransactionHarness.SixtyFourT1 - Millisecond);
        Assert.Equal(["180"], _user.Events);
        _harness.Advance(Millisecond);

        Assert.Equal(["180", "timeout"], _user.Events);
        Assert.Equal(0, _harness.Layer.ClientTransactionCount);
    }

    [Fact]
    public void Cancel_NonInvite_Throws()
    {
        var transaction = _harness.StartClient(_harness.Flow(), "OPTIONS", _user, out _);

        Assert.Throws<InvalidOperationException>(transaction.Cancel);
    }

    [Fact]
    public void StartClientTransaction_FlowRefuses_ReportsTransportErrorOnceWithUserState()
    {
        var flow = _harness.Flow();
        flow.RefuseSends = true;
        var branch = TransactionLayer.NewBranch();
        var request = System.Text.Encoding.Latin1.GetBytes(SipText.Request("INVITE", branch));

        var transaction = _harness.Layer.StartClientTransaction(flow, request, branch, SipMethod.Invite, _user, userState: "leg-1");
        _harness.Advance(TransactionHarness.SixtyFourT1);

        Assert.Equal(["transport-error"], _user.Events);
        Assert.Equal(["leg-1"], _user.UserStates);
        Assert.Equal(TransactionState.Terminated, transaction.State);
        Assert.Equal(0, _harness.Layer.ClientTransactionCount);
    }

    [Fact]
    public void OnRetransmitTimer_FlowRefuses_ReportsTransportErrorOnce()
    {
        var flow = _harness.Flow(SipTransportKind.Udp);
        _harness.StartClient(flow, "OPTIONS", _user, out _);
        flow.RefuseSends = true;

        _harness.Advance(TransactionHarness.SixtyFourT1);

        Assert.Equal(["transport-error"], _user.Events);
        Assert.Equal(0, _harness.Layer.ClientTransactionCount);
    }

    [Fact]
    public void OnFlowClosed_FailsOnlyTheClientTransactionsOnThatFlow()
    {
        var closing = _harness.Flow(id: 1);
        var other = _harness.Flow(id: 2);
        var otherUser = new RecordingClientUser();
        var done = new RecordingClientUser();
        _harness.StartClient(closing, "INVITE", _user, out _);
        _harness.StartClient(other, "INVITE", otherUser, out _);
        var completed = _harness.StartClient(closing, "INVITE", done, out var completedBranch);
        _harness.Receive(SipText.Response(200, completedBranch, "INVITE"), closing);

        closing.Close("test");
        _harness.Layer.OnFlowClosed(closing);

        Assert.Equal(["transport-error"], _user.Events);
        Assert.Empty(otherUser.Events);
        Assert.Equal(["200"], done.Events);
        Assert.Equal(TransactionState.Terminated, completed.State);
        Assert.Equal(1, _harness.Layer.ClientTransactionCount);
    }

    [Fact]
    public void StartClientTransaction_SameBranchAndMethodTwice_Throws()
    {
        var flow = _harness.Flow();
        var branch = TransactionLayer.NewBranch();
        var request = System.Text.Encoding.Latin1.GetBytes(SipText.Request("INVITE", branch));
        _harness.Layer.StartClientTransaction(flow, request, branch, SipMethod.Invite, _user);

        Assert.Throws<InvalidOperationException>(() => _harness.Layer.StartClientTransaction(flow, request, branch, SipMethod.Invite, _user));
    }

    [Fact]
    public void OnMessage_ResponseWithOtherCSeqMethod_DoesNotMatchTheTransaction()
    {
        var flow = _harness.Flow();
        _harness.StartClient(flow, "INVITE", _user, out var branch);

        _harness.Receive(SipText.Response(200, branch, "BYE"), flow);

        Assert.Empty(_user.Events);
        Assert.Single(_harness.User.StrayResponses);
    }
}

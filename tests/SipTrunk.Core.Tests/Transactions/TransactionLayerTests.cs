using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Transactions;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Transactions;

public sealed class TransactionLayerTests
{
    private const string Branch = "z9hG4bK-layer-1";

    private readonly TransactionHarness _harness = new();

    [Fact]
    public void OnMessage_MalformedRequest_AnsweredWith400AndReasonOnceAndNeverReachesTheUser()
    {
        var flow = _harness.Flow(SipTransportKind.Udp);
        var text = SipText.Request("INVITE", Branch, cseqMethod: "BYE");

        _harness.Receive(text, flow);
        _harness.Receive(text, flow);

        var response = Assert.IsType<SipResponse>(flow.Last);
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("CSeq method does not match the request method", response.ReasonPhrase);
        Assert.Equal(2, flow.SentCount);
        Assert.Equal(flow.Sent[0].ToString(), flow.Sent[1].ToString());
        Assert.Equal(Branch, response.Via!.Branch);
        Assert.Equal("call-1@pbx.example.com", response.CallId);
        Assert.NotNull(response.To!.Tag);
        Assert.Empty(_harness.User.Requests);
        Assert.Equal(1, _harness.Metrics.MalformedMessages.Get("udp"));
        Assert.Equal(0, _harness.Metrics.SipRequests.Get("INVITE"));
    }

    [Fact]
    public void OnMessage_AckForRefusedMalformedInvite_IsAbsorbed()
    {
        var flow = _harness.Flow();
        _harness.Receive(SipText.Request("INVITE", Branch, cseqMethod: "BYE"), flow);
        var toTag = ((SipResponse)flow.Last).To!.Tag;

        _harness.Receive(SipText.Request("ACK", Branch, toTag: toTag), flow);

        Assert.Empty(_harness.User.Acks);
        Assert.Equal(0, _harness.Layer.ServerTransactionCount);
    }

    [Fact]
    public void OnMessage_UnsupportedUriScheme_AnsweredWith416()
    {
        var flow = _harness.Flow();
        var text = SipText.Request("OPTIONS", Branch).Replace("OPTIONS sip:+15551234@carrier.example.com", "OPTIONS http://example.com/", StringComparison.Ordinal);

        _harness.Receive(text, flow);

        Assert.Equal(416, ((SipResponse)flow.Last).StatusCode);
        Assert.Empty(_harness.User.Requests);
    }

    [Fact]
    public void OnMessage_OtherSipVersion_AnsweredWith505()
    {
        var flow = _harness.Flow();
        var text = SipText.Request("OPTIONS", Branch).Replace(" SIP/2.0\r\nVia", " SIP/3.0\r\nVia", StringComparison.Ordinal);

        _harness.Receive(text, flow);

        Assert.Equal(505, ((SipResponse)flow.Last).StatusCode);
    }

    [Fact]
    public void OnMessage_BranchWithoutMagicCookie_AnsweredWith400Statelessly()
    {
        var flow = _harness.Flow();

        _harness.Receive(SipText.Request("INVITE", "rfc2543-branch"), flow);

        var response = Assert.IsType<SipResponse>(flow.Last);
        Assert.Equal(400, response.StatusCode);
        Assert.Contains("magic cookie", response.ReasonPhrase, StringComparison.Ordinal);
        Assert.Empty(_harness.User.Requests);
        Assert.Equal(0, _harness.Layer.ServerTransactionCount);
        Assert.Equal(1, _harness.Metrics.MalformedMessages.Get("tls"));
    }

    [Fact]
    public void OnMessage_MalformedRequestWithoutFrom_IsDroppedAndCounted()
    {
        var flow = _harness.Flow();
        var text = SipText.Request("OPTIONS", Branch).Replace("From: \"Alice\" <sip:alice@pbx.example.com>;tag=a1\r\n", string.Empty, StringComparison.Ordinal);

        _harness.Receive(text, flow);

        Assert.Equal(0, flow.SentCount);
        Assert.Empty(_harness.User.Requests);
        Assert.Equal(1, _harness.Metrics.MalformedMessages.Get("tls"));
    }

    [Fact]
    public void OnMessage_MalformedAck_IsDroppedWithoutAnswer()
    {
        var flow = _harness.Flow();

        _harness.Receive(SipText.Request("ACK", Branch, cseqMethod: "INVITE", toTag: "x"), flow);

        Assert.Equal(0, flow.SentCount);
        Assert.Empty(_harness.User.Acks);
        Assert.Equal(1, _harness.Metrics.MalformedMessages.Get("tls"));
    }

    [Fact]
    public void OnMessage_ResponseMatchingNoTransaction_GoesToOnStrayResponse()
    {
        var flow = _harness.Flow();

        _harness.Receive(SipText.Response(200, "z9hG4bK-unknown", "INVITE"), flow);

        var stray = Assert.Single(_harness.User.StrayResponses);
        Assert.Equal(200, stray.StatusCode);
    }

    [Fact]
    public void OnMessage_MalformedResponse_IsDroppedAndCounted()
    {
        var flow = _harness.Flow();
        var transaction = _harness.StartClient(flow, "OPTIONS", new RecordingClientUser(), out var branch);
        var text = SipText.Response(200, branch, "OPTIONS").Replace("Call-ID: call-1@pbx.example.com\r\n", string.Empty, StringComparison.Ordinal);

        _harness.Receive(text, flow);

        Assert.Empty(_harness.User.StrayResponses);
        Assert.Equal(TransactionState.Trying, transaction.State);
        Assert.Equal(1, _harness.Metrics.MalformedMessages.Get("tls"));
    }

    [Fact]
    public void OnUnparsable_RequestFrame_AnswersBadRequestWithTheCopiedHeaders()
    {
        var flow = _harness.Flow();
        var frame = "INVITE sip:bob@example.com SIP/2.0\r\n"
            + "v: SIP/2.0/TLS 192.0.2.10:5061;branch=z9hG4bKraw\r\n"
            + "Via: SIP/2.0/TLS 198.51.100.7:5061\r\n ;branch=z9hG4bKfolded\r\n"
            + "f: <sip:alice@example.com>;tag=f1\r\n"
            + "t: <sip:bob@example.com>\r\n"
            + "i: raw-call@pbx\r\n"
            + "CSEQ: 7 INVITE\r\n"
            + "Contact <sip:broken\r\n"
            + "\r\n";

        _harness.Layer.OnUnparsable(Encoding.Latin1.GetBytes(frame), "Malformed header line", flow);

        var response = Assert.IsType<SipResponse>(flow.Last);
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("Malformed header line", response.ReasonPhrase);
        Assert.Equal(
            ["SIP/2.0/TLS 192.0.2.10:5061;branch=z9hG4bKraw", "SIP/2.0/TLS 198.51.100.7:5061 ;branch=z9hG4bKfolded"],
            SipText.Headers(response, HeaderId.Via));
        Assert.Equal("<sip:alice@example.com>;tag=f1", SipText.Header(response, HeaderId.From));
        Assert.StartsWith("<sip:bob@example.com>;tag=", SipText.Header(response, HeaderId.To), StringComparison.Ordinal);
        Assert.Equal("raw-call@pbx", response.CallId);
        Assert.Equal("7 INVITE", SipText.Header(response, HeaderId.CSeq));
        Assert.False(response.Contains(HeaderId.Contact));
        // The transport counted the frame when it failed to parse; the layer must not count it twice.
        Assert.Equal(0, _harness.Metrics.MalformedMessages.Get("tls"));
    }

    [Fact]
    public void OnUnparsable_ReasonWithCrLf_CannotInjectHeaders()
    {
        var flow = _harness.Flow();
        var frame = "OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TLS 192.0.2.10;branch=z9hG4bKx\r\nbroken\r\n\r\n";

        _harness.Layer.OnUnparsable(Encoding.Latin1.GetBytes(frame), "Bad\r\nX-Injected: yes", flow);

        var response = Assert.IsType<SipResponse>(flow.Last);
        Assert.Equal(400, response.StatusCode);
        Assert.Single(SipText.Headers(response, HeaderId.Via));
        Assert.False(response.GetValues("X-Injected").MoveNext());
        Assert.DoesNotContain("\nX-Injected", response.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', response.ReasonPhrase);
    }

    [Theory]
    [InlineData("SIP/2.0 200 OK\r\nVia: SIP/2.0/TLS 192.0.2.10;branch=z9hG4bKx\r\nbroken\r\n\r\n")]
    [InlineData("ACK sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TLS 192.0.2.10;branch=z9hG4bKx\r\nbroken\r\n\r\n")]
    [InlineData("OPTIONS sip:bob@example.com SIP/2.0\r\nFrom: <sip:a@example.com>;tag=1\r\nbroken\r\n\r\n")]
    public void OnUnparsable_ResponseAckOrNoVia_Dropped(string frame)
    {
        var flow = _harness.Flow(SipTransportKind.Tcp);

        _harness.Layer.OnUnparsable(Encoding.Latin1.GetBytes(frame), "Malformed header line", flow);

        Assert.Equal(0, flow.SentCount);
        Assert.Equal(0, _harness.Metrics.MalformedMessages.Get("tcp"));
    }

    [Fact]
    public void OnMessage_ExtensionMethods_CountedUnderOneLabel()
    {
        var flow = _harness.Flow();

        _harness.ReceiveNew(SipText.Request("FOO", "z9hG4bK-1"), flow);
        _harness.ReceiveNew(SipText.Request("BAR", "z9hG4bK-2"), flow);
        _harness.Receive(SipText.Request("BAR", "z9hG4bK-2"), flow);

        Assert.Equal(2, _harness.Metrics.SipRequests.Get("other"));
        Assert.Equal(0, _harness.Metrics.SipRequests.Get("FOO"));
    }

    [Fact]
    public void OnFlowClosed_ServerTransactionsOnThatFlowEnd()
    {
        var closing = _harness.Flow(id: 1);
        var other = _harness.Flow(id: 2);
        var invite = _harness.ReceiveNew(SipText.Request("INVITE", "z9hG4bK-a"), closing);
        _harness.ReceiveNew(SipText.Request("INVITE", "z9hG4bK-b"), other);

        _harness.Layer.OnFlowClosed(closing);

        Assert.Equal(TransactionState.Terminated, invite.State);
        Assert.False(invite.SendResponse(486, TransactionHarness.ResponseTo(invite, 486)));
        Assert.Equal(1, _harness.Layer.ServerTransactionCount);
    }

    [Fact]
    public void Attach_BeforeMessages_UserReceivesThem()
    {
        var user = new RecordingTransactionUser();
        var layer = new TransactionLayer(TransactionTimers.Default, _harness.Time, new SipTrunkMetrics(), NullLogger<TransactionLayer>.Instance);
        var flow = _harness.Flow();
        layer.OnMessage(SipText.Parse(SipText.Request("OPTIONS", "z9hG4bK-early")), flow);

        layer.Attach(user);
        layer.OnMessage(SipText.Parse(SipText.Request("OPTIONS", Branch)), flow);

        Assert.Equal(Branch, Assert.Single(user.Requests).Branch);
        Assert.Throws<InvalidOperationException>(() => layer.Attach(new RecordingTransactionUser()));
    }

    [Fact]
    public void OnMessage_UserThrows_LayerSurvivesAndKeepsTheTransaction()
    {
        _harness.User.OnRequestAction = _ => throw new InvalidOperationException("bug in the TU");
        var flow = _harness.Flow();

        _harness.Receive(SipText.Request("OPTIONS", Branch), flow);

        Assert.Single(_harness.User.Requests);
        Assert.Equal(1, _harness.Layer.ServerTransactionCount);
    }

    [Fact]
    public void OnMessage_SameRequestOnManyThreads_ReachesTheUserOnce()
    {
        var flow = _harness.Flow();
        var copies = Enumerable.Range(0, 64).Select(_ => SipText.Parse(SipText.Request("INVITE", Branch))).ToArray();

        Parallel.ForEach(copies, message => _harness.Layer.OnMessage(message, flow));

        Assert.Single(_harness.User.Requests);
        Assert.Equal(1, _harness.Metrics.SipRequests.Get("INVITE"));
        Assert.Equal(1, _harness.Layer.ServerTransactionCount);
    }

    [Fact]
    public void OnMessage_ResponsesRacingFlowClose_ReportsOneOrderedStreamEndingInTheTransportError()
    {
        var flow = _harness.Flow();
        var user = new RecordingClientUser();
        _harness.StartClient(flow, "INVITE", user, out var branch);
        var provisionals = Enumerable.Range(0, 200).Select(_ => SipText.Parse(SipText.Response(183, branch, "INVITE"))).ToArray();

        // The recording user is not thread-safe: reports must arrive one at a time, and none after the terminal one.
        Parallel.Invoke(
            () => Parallel.ForEach(provisionals, response => _harness.Layer.OnMessage(response, flow)),
            () => _harness.Layer.OnFlowClosed(flow));

        Assert.Equal("transport-error", user.Events[^1]);
        Assert.Single(user.Events, e => e == "transport-error");
        Assert.All(user.Events.SkipLast(1), e => Assert.Equal("183", e));
        Assert.Equal(0, _harness.Layer.ClientTransactionCount);
    }

    [Fact]
    public void NewBranch_MagicCookieAnd128BitsLowerCaseHex_Unique()
    {
        var branches = Enumerable.Range(0, 100).Select(_ => TransactionLayer.NewBranch()).ToList();

        Assert.All(branches, b => Assert.Matches("^z9hG4bK[0-9a-f]{32}$", b));
        Assert.Equal(branches.Count, branches.Distinct(StringComparer.Ordinal).Count());
    }
}

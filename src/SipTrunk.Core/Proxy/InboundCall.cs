using System.Globalization;
using Microsoft.Extensions.Logging;
using SipTrunk.Core.Routing;
using SipTrunk.Core.Transactions;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// A carrier's INVITE delivered to a peer (CONTRACT.md §3): forked in parallel to every registered contact of the peer
/// over the flow each REGISTER came on (RFC 5626), or to its static <c>Uri</c>. Provisional responses go to the
/// carrier as they come; the first 2xx wins and the other forks are CANCELled (RFC 3261 §16.7 step 10); when every fork
/// has failed, the best final response goes back (§16.7 step 6). <c>InviteTimeoutSeconds</c> without an answer
/// cancels every fork and answers 408.
/// </summary>
internal sealed partial class InboundCall : IClientTransactionUser, IProxyCall
{
    private readonly object _gate = new();
    private readonly SipProxy _proxy;
    private readonly ServerTransaction _server;
    private readonly SipRequest _request;
    private readonly CarrierDefinition _carrier;
    private readonly PeerDefinition _peer;
    private readonly string _number;
    private readonly int _localRoutes;
    private readonly IReadOnlyList<InboundTarget> _targets;
    private readonly List<InboundBranch> _branches = [];
    private readonly Dictionary<string, InboundBranch> _branchesById = new(StringComparer.Ordinal);
    private readonly CallProgress _progress;
    private ITimer? _timer;
    private SipResponse? _best;
    private InboundBranch? _answeredBy;
    private CallMedia? _media;
    private ReadOnlyMemory<byte>? _offer;
    private SipResponse? _answer;
    private bool _cancelled;
    private bool _finalSent;
    private bool _ended;

    public InboundCall(SipProxy proxy, ServerTransaction server, CarrierDefinition carrier, PeerDefinition peer, string number, int localRoutes, IReadOnlyList<InboundTarget> targets)
    {
        _proxy = proxy;
        _server = server;
        _request = server.Request;
        _carrier = carrier;
        _peer = peer;
        _number = number;
        _localRoutes = localRoutes;
        _targets = targets;
        _progress = new CallProgress(_request, server.Flow, proxy.Time.GetUtcNow());
        CallId = _request.CallId ?? "";
    }

    public string CallId { get; }

    public void Start()
    {
        lock (_gate)
        {
            _server.UserState = this;
            using var scope = BeginLogScope();
            _proxy.OnCallOpened(this);
            _proxy.Calls.OnCallStarted(_progress.Opened("inbound", _peer.Name, _carrier.Name));
            LogCallStarted(_proxy.Logger, CallId, _carrier.Name, _peer.Name, _number, _targets.Count);
            _media = CallMedia.Start(_proxy, _request, CallMedia.CarrierPolicy(_carrier), CallMedia.PeerPolicy(_peer));
            if (_media?.OfferToCallee(_request, CallMedia.PeerPolicy(_peer)) is { } offer)
            {
                if (offer.IsRefused)
                {
                    // Every fork would get the same offer: the carrier hears at once that its media is not acceptable.
                    LogMediaRefused(_proxy.Logger, CallId, _carrier.Name, offer.Reason ?? "");
                    FinishLocked(offer.StatusCode, offer.StatusCode == 488 ? "Not Acceptable Here" : "Service Unavailable", null, offer.Reason);
                    return;
                }

                _offer = offer.Body;
            }

            _timer = _proxy.Time.CreateTimer(static state => ((InboundCall)state!).OnInviteTimeout(), this, _proxy.Settings.InviteTimeout, Timeout.InfiniteTimeSpan);
            foreach (var target in _targets)
            {
                var branch = new InboundBranch(target, _proxy.Time.GetUtcNow());
                _branches.Add(branch);
                if (target.Flow is { } flow)
                {
                    SendLocked(branch, flow);
                }
                else
                {
                    _proxy.Tasks.Track(ConnectAndSendAsync(branch, target.Static!));
                }
            }
        }
    }

    public void CancelByCaller()
    {
        lock (_gate)
        {
            if (_finalSent || _cancelled)
            {
                return;
            }

            _cancelled = true;
            foreach (var branch in _branches)
            {
                if (!branch.Done && branch.Transaction is null)
                {
                    // Still connecting: nothing was sent, so nothing needs cancelling.
                    branch.Done = true;
                    _progress.Attempts.Add(new CallAttempt(_peer.Name, branch.StartedAt, 0, "cancelled before sending"));
                }

                // The forks' 487s (or their timeouts) finish the call; see OnResponse.
                branch.Transaction?.Cancel();
            }

            FinishIfAllDoneLocked();
        }
    }

    public void ForwardStrayAnswer(SipResponse response) => _server.Flow.TrySend(CallMedia.Forward(_media, response));

    public void End(bool byPeer, string reason)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            _proxy.OnCallFinished(_peer.Name);
            // Inbound: the carrier's side called, the peer was called.
            Report(CallStatus.Answered, byPeer ? "callee" : "caller", reason);
        }
    }

    public void EndByProxy(string reason)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            using var scope = BeginLogScope();
            if (_answer is not null)
            {
                HangUpLocked(reason, DialogTeardown.ShutdownCause);
                return;
            }

            // Ringing: every fork is CANCELled (RFC 3261 §16.10) and the carrier hears 487 at once.
            foreach (var branch in _branches)
            {
                if (!branch.Done)
                {
                    branch.Done = true;
                    branch.Transaction?.Cancel();
                    _progress.Attempts.Add(new CallAttempt(_peer.Name, branch.StartedAt, 0, "cancelled: " + reason));
                }
            }

            FinishLocked(487, "Request Terminated", null, reason, endReason: reason);
        }
    }

    public void OnResponse(ClientTransaction transaction, SipResponse response)
    {
        var code = response.StatusCode;
        if (code == 100)
        {
            return;
        }

        lock (_gate)
        {
            if (!_branchesById.TryGetValue(transaction.Branch, out var branch))
            {
                return;
            }

            using var scope = BeginLogScope();
            if (code < 200)
            {
                if (!_finalSent && !branch.Done)
                {
                    _progress.OnProvisional(code, _proxy.Time.GetUtcNow());

                    // RFC 3261 §16.7 step 5: provisional responses of every fork go upstream.
                    _server.SendResponse(code, CallMedia.Forward(_media, response));
                }

                return;
            }

            if (code < 300)
            {
                OnAnswerLocked(branch, response);
                return;
            }

            if (branch.Done)
            {
                return;
            }

            branch.Done = true;
            _progress.Attempts.Add(new CallAttempt(_peer.Name, branch.StartedAt, code, response.ReasonPhrase));
            if (_best is null || Preferred(response, _best))
            {
                _best = response;
            }

            if (code >= 600 && !_finalSent)
            {
                // RFC 3261 §16.7 step 9/10: a 6xx ends the search at once; the other forks are cancelled.
                CancelOthersLocked(branch, "cancelled: declined elsewhere");
                FinishLocked(code, response.ReasonPhrase, CallMedia.Forward(_media, response));
                return;
            }

            FinishIfAllDoneLocked();
        }
    }

    public void OnTimeout(ClientTransaction transaction) => FailBranch(transaction, 408, "timeout");

    public void OnTransportError(ClientTransaction transaction) => FailBranch(transaction, 503, "transport error");

    // RFC 3261 §16.7 step 6: 6xx first, then the lowest class.
    private static bool Preferred(SipResponse candidate, SipResponse current)
    {
        var candidateClass = candidate.StatusCode / 100;
        var currentClass = current.StatusCode / 100;
        if (candidateClass == 6 || currentClass == 6)
        {
            return candidateClass == 6 && currentClass != 6;
        }

        return candidateClass < currentClass;
    }

    private void FailBranch(ClientTransaction transaction, int code, string reason)
    {
        lock (_gate)
        {
            if (!_branchesById.TryGetValue(transaction.Branch, out var branch) || branch.Done)
            {
                return;
            }

            using var scope = BeginLogScope();
            branch.Done = true;
            _progress.Attempts.Add(new CallAttempt(_peer.Name, branch.StartedAt, code, reason));
            FinishIfAllDoneLocked();
        }
    }

    private async Task ConnectAndSendAsync(InboundBranch branch, OutboundTarget target)
    {
        using var scope = BeginLogScope();
        SipFlow flow;
        try
        {
            flow = await _proxy.Flows.ConnectAsync(target, _proxy.Stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_proxy.Stopping.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // Every connect failure is a transport failure of this fork.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            lock (_gate)
            {
                LogPeerUnreachable(_proxy.Logger, CallId, _peer.Name, branch.Target.ContactUri, exception.Message);
                if (!branch.Done)
                {
                    branch.Done = true;
                    _progress.Attempts.Add(new CallAttempt(_peer.Name, branch.StartedAt, 503, "transport: " + exception.Message));
                    FinishIfAllDoneLocked();
                }
            }

            return;
        }

        lock (_gate)
        {
            if (!branch.Done && !_finalSent)
            {
                SendLocked(branch, flow);
            }
        }
    }

    private void SendLocked(InboundBranch branch, SipFlow flow)
    {
        var id = TransactionLayer.NewBranch();
        _branchesById[id] = branch;
        branch.Flow = flow;
        // The Record-Route token names both connections, so the dialog's later requests reuse them (RFC 5626, RFC 5923).
        var token = new FlowToken(flow.Id, _peer.Name, _carrier.Name, _server.Flow.Id);
        var path = branch.Target.Path;
        var extra = new (HeaderId, string)[path.Count];
        for (var i = 0; i < path.Count; i++)
        {
            // RFC 3327 §5.3: the registered Path becomes the route set toward the contact.
            extra[i] = (HeaderId.Route, path[i]);
        }

        var bytes = _proxy.Messages.ForwardRequest(_request, _server.Flow, flow, id, branch.Target.ContactUri, _localRoutes, token, _offer, extra);
        var logger = _proxy.Logger;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var remote = flow.RemoteEndPoint.ToString();
            LogForked(logger, CallId, branch.Target.ContactUri, flow.Id, remote);
        }

        branch.Transaction = _proxy.Transactions.StartClientTransaction(flow, bytes, id, SipMethod.Invite, this);
    }

    private void OnAnswerLocked(InboundBranch branch, SipResponse response)
    {
        if (_answeredBy is null && !_finalSent)
        {
            _answeredBy = branch;
            _progress.AnsweredAt = _proxy.Time.GetUtcNow();
            _progress.FinalCode = response.StatusCode;
            _progress.FinalReason = response.ReasonPhrase;
            _finalSent = true;
            _timer?.Dispose();
            if (!branch.Done)
            {
                branch.Done = true;
                _progress.Attempts.Add(new CallAttempt(_peer.Name, branch.StartedAt, response.StatusCode, response.ReasonPhrase));
            }

            CancelOthersLocked(branch, "cancelled: answered elsewhere");
            _answer = response;
            _media?.Answered(CallMedia.PeerPolicy(_peer), OnMediaTimeout);
            _proxy.OnCallAnswered(this);
            _proxy.Calls.OnCallAnswered(CallId, "inbound", _carrier.Name);
            LogAnswered(_proxy.Logger, CallId, _carrier.Name, _peer.Name, branch.Target.ContactUri);
        }

        // Every 2xx goes upstream, other forks' included (RFC 3261 §16.7 step 5, RFC 6026); only the winning fork's SDP
        // is anchored, another's is removed (the carrier hangs that dialog up).
        _server.SendResponse(response.StatusCode, branch == _answeredBy
            ? CallMedia.Forward(_media, response)
            : ProxyMessageFactory.ForwardResponse(response, ReadOnlyMemory<byte>.Empty));
    }

    // Media stopped on the answered call: SipTrunk hangs up both sides (CONTRACT.md §3 Media:InactivityTimeoutSeconds).
    private void OnMediaTimeout()
    {
        lock (_gate)
        {
            if (_ended || _answer is null)
            {
                return;
            }

            using var scope = BeginLogScope();
            LogMediaTimeout(_proxy.Logger, CallId, _carrier.Name, _peer.Name);
            HangUpLocked("media-timeout", DialogTeardown.TimeoutCause);
        }
    }

    // SipTrunk ends the answered call itself: a BYE to each party, and the record says the proxy ended it.
    private void HangUpLocked(string reason, int cause)
    {
        if (_answer is null || _answeredBy?.Flow is not { } peerFlow)
        {
            return;
        }

        _ended = true;
        DialogTeardown.HangUp(_proxy, _peer.Name, _request, _answer, _server.Flow, peerFlow, reason, cause);
        Report(CallStatus.Answered, "proxy", reason);
    }

    private void CancelOthersLocked(InboundBranch winner, string reason)
    {
        foreach (var other in _branches)
        {
            if (other != winner && !other.Done)
            {
                other.Done = true;
                other.Transaction?.Cancel();
                _progress.Attempts.Add(new CallAttempt(_peer.Name, other.StartedAt, 0, reason));
            }
        }
    }

    private void OnInviteTimeout()
    {
        lock (_gate)
        {
            if (_finalSent)
            {
                return;
            }

            using var scope = BeginLogScope();
            // CONTRACT.md §3 InviteTimeoutSeconds: nobody answered in time; cancel every fork (RFC 3261 §16.8 Timer C).
            foreach (var branch in _branches)
            {
                if (!branch.Done)
                {
                    branch.Done = true;
                    branch.Transaction?.Cancel();
                    _progress.Attempts.Add(new CallAttempt(_peer.Name, branch.StartedAt, 408, "invite-timeout"));
                }
            }

            FinishLocked(408, "Request Timeout", null);
        }
    }

    private void FinishIfAllDoneLocked()
    {
        if (_finalSent || _branches.Exists(b => !b.Done))
        {
            return;
        }

        if (_cancelled)
        {
            FinishLocked(487, "Request Terminated", null);
        }
        else if (_best is { } best)
        {
            // RFC 3261 §16.7 step 6: a 503 is not passed upstream as is (it would stop the carrier using SipTrunk).
            if (best.StatusCode == 503)
            {
                FinishLocked(500, "Server Internal Error", null);
            }
            else
            {
                FinishLocked(best.StatusCode, best.ReasonPhrase, CallMedia.Forward(_media, best));
            }
        }
        else
        {
            FinishLocked(480, "Temporarily Unavailable", null);
        }
    }

    private void FinishLocked(int code, string reason, byte[]? forwarded, string? warning = null, string? endReason = null)
    {
        if (_finalSent)
        {
            return;
        }

        _finalSent = true;
        _ended = true;
        _progress.FinalCode = code;
        _progress.FinalReason = reason;
        _timer?.Dispose();
        // The slot is free before the carrier hears the call is over.
        _proxy.OnCallFinished(_peer.Name);
        _server.SendResponse(code, forwarded ?? (warning is null
            ? ProxyMessageFactory.CreateResponse(_request, code, reason, _server.ServerHeader)
            : ProxyMessageFactory.CreateResponse(_request, code, reason, _server.ServerHeader, (HeaderId.Warning, "399 siptrunk \"" + warning + "\""))));
        var status = CallStatus.FromFinalResponse(code, _cancelled);
        // A final response relayed from the far end (busy, declined, its own failure) was the callee's doing.
        Report(status, _cancelled ? "caller" : forwarded is null ? "proxy" : "callee", _cancelled ? "cancel" : endReason ?? code.ToString(CultureInfo.InvariantCulture));
    }

    // Callbacks arrive on the peer's connection, timers and tasks: each names the call (CONTRACT.md §6).
    private IDisposable? BeginLogScope() => CallLogScope.Begin(_proxy.Logger, CallId, _peer.Name, _carrier.Name);

    private void Report(string status, string endedBy, string reason)
    {
        var summary = _progress.Summarize(
            "inbound",
            _peer.Name,
            _carrier.Name,
            (_answeredBy ?? _branches.FirstOrDefault(b => b.Flow is not null))?.Flow?.Tls,
            _media?.Finish(_proxy.Metrics),
            _proxy.Time.GetUtcNow(),
            status,
            endedBy,
            reason);
        if (_proxy.Logger.IsEnabled(LogLevel.Information))
        {
            var media = summary.Media?.Describe() ?? "none";
            LogCallEnded(_proxy.Logger, CallId, _carrier.Name, _peer.Name, status, _progress.FinalCode, reason, media);
        }

        _proxy.Calls.OnCallEnded(summary);

        // Last: a drain waiting for this call goes on only once its record is with the writer.
        _proxy.OnCallClosed(this);
    }

    [LoggerMessage(EventId = 3230, Level = LogLevel.Information, Message = "Inbound call {CallId} from carrier {Carrier} to {Number} for peer {Peer}: {TargetCount} contact(s)")]
    private static partial void LogCallStarted(ILogger logger, string callId, string carrier, string peer, string number, int targetCount);

    [LoggerMessage(EventId = 3231, Level = LogLevel.Information, Message = "Inbound call {CallId} from carrier {Carrier} answered by peer {Peer} at {Contact}")]
    private static partial void LogAnswered(ILogger logger, string callId, string carrier, string peer, string contact);

    [LoggerMessage(EventId = 3232, Level = LogLevel.Information, Message = "Inbound call {CallId} from carrier {Carrier} to peer {Peer} ended: {Status} {SipCode} ({EndReason}); media: {Media}")]
    private static partial void LogCallEnded(ILogger logger, string callId, string carrier, string peer, string status, int sipCode, string endReason, string media);

    [LoggerMessage(EventId = 3235, Level = LogLevel.Information, Message = "Inbound call {CallId} from carrier {Carrier} refused for media: {Reason}")]
    private static partial void LogMediaRefused(ILogger logger, string callId, string carrier, string reason);

    [LoggerMessage(EventId = 3236, Level = LogLevel.Warning, Message = "Inbound call {CallId} from carrier {Carrier} to peer {Peer}: no media within the inactivity timeout, hanging up both sides")]
    private static partial void LogMediaTimeout(ILogger logger, string callId, string carrier, string peer);

    [LoggerMessage(EventId = 3234, Level = LogLevel.Debug, Message = "Inbound call {CallId}: INVITE to {Contact} over flow {FlowId} ({Remote})")]
    private static partial void LogForked(ILogger logger, string callId, string contact, long flowId, string remote);

    [LoggerMessage(EventId = 3233, Level = LogLevel.Warning, Message = "Inbound call {CallId}: cannot reach peer {Peer} at {Contact}: {Reason}")]
    private static partial void LogPeerUnreachable(ILogger logger, string callId, string peer, string contact, string reason);
}

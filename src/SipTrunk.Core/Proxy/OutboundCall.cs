using System.Globalization;
using Microsoft.Extensions.Logging;
using SipTrunk.Core.Auth;
using SipTrunk.Core.Media;
using SipTrunk.Core.Routing;
using SipTrunk.Core.Transactions;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Headers;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// A new INVITE from a peer, routed to carriers by serial failover (CONTRACT.md §3 Routing): one carrier at a time in
/// the selector's order; a final response in <c>FailoverOnCodes</c>, a transport failure, Timer B or the INVITE timeout
/// (the branch is CANCELled) moves on; the first 2xx wins and every 2xx is forwarded (RFC 3261 §16.7 step 5). A CANCEL
/// from the caller cancels the live branch, whose 487 ends the call. A carrier's 401/407 is answered once per attempt
/// when the carrier has credentials.
/// </summary>
internal sealed partial class OutboundCall : IClientTransactionUser, IProxyCall
{
    private readonly object _gate = new();
    private readonly SipProxy _proxy;
    private readonly ServerTransaction _server;
    private readonly SipRequest _request;
    private readonly PeerDefinition _peer;
    private readonly string _number;
    private readonly int _localRoutes;
    private readonly IReadOnlyList<CarrierDefinition> _candidates;
    private readonly Dictionary<string, CallBranch> _branchesById = new(StringComparer.Ordinal);
    private readonly List<CallBranch> _branches = [];
    private readonly CallProgress _progress;
    private int _next;
    private CallBranch? _current;
    private CallBranch? _answeredBy;
    private CallMedia? _media;
    private SipResponse? _answer;
    private bool _cancelled;
    private bool _finalSent;
    private bool _ended;

    public OutboundCall(SipProxy proxy, ServerTransaction server, PeerDefinition peer, string number, int localRoutes, IReadOnlyList<CarrierDefinition> candidates)
    {
        _proxy = proxy;
        _server = server;
        _request = server.Request;
        _peer = peer;
        _number = number;
        _localRoutes = localRoutes;
        _candidates = candidates;
        _progress = new CallProgress(_request, server.Flow, proxy.Time.GetUtcNow());
        CallId = _request.CallId ?? "";
    }

    public string CallId { get; }

    public void Start()
    {
        lock (_gate)
        {
            // The transaction layer has already answered 100 Trying (RFC 3261 §16.2, §17.2.1).
            _server.UserState = this;
            _proxy.OnCallOpened(this);
            _proxy.Calls.OnCallStarted(_progress.Opened("outbound", _peer.Name, null));
            _media = CallMedia.Start(_proxy, _request, CallMedia.PeerPolicy(_peer), _candidates.Count > 0 ? CallMedia.CarrierPolicy(_candidates[0]) : CallMedia.PeerPolicy(_peer));
            LogCallStarted(_proxy.Logger, CallId, _peer.Name, _number, _candidates.Count);
            StartNextBranchLocked();
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
            if (_current is { Done: false } branch)
            {
                if (branch.Transaction is { } transaction)
                {
                    // The carrier's 487 (or Timer B) finishes the call; see OnResponse/OnTimeout.
                    transaction.Cancel();
                }

                // Still connecting: ConnectAndSendAsync sees the flag and answers 487.
                return;
            }

            FinishLocked(487, "Request Terminated", null);
        }
    }

    /// <summary>A 2xx retransmission that no transaction matched any more (RFC 6026): forwarded to the caller again.</summary>
    public void ForwardStrayAnswer(SipResponse response) => _server.Flow.TrySend(CallMedia.Forward(_media, response));

    /// <summary>The dialog ended (BYE): the call's record is complete.</summary>
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
            Report(CallStatus.Answered, byPeer ? "caller" : "callee", reason);
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

            using var scope = BeginLogScope(_answeredBy ?? _current);
            if (_answer is not null)
            {
                HangUpLocked(reason, DialogTeardown.ShutdownCause);
                return;
            }

            // Ringing: the carrier's branch is CANCELled (RFC 3261 §16.10) and the caller hears 487 at once; the
            // carrier's own 487 finds the call over.
            foreach (var branch in _branches)
            {
                if (!branch.Done)
                {
                    branch.Done = true;
                    branch.Timer?.Dispose();
                    branch.Transaction?.Cancel();
                    _progress.Attempts.Add(new CallAttempt(branch.Carrier.Name, branch.StartedAt, 0, "cancelled: " + reason));
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

            using var scope = BeginLogScope(branch);
            if (code < 200)
            {
                if (!branch.Done && !_finalSent && branch == _current)
                {
                    _progress.OnProvisional(code, _proxy.Time.GetUtcNow());

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

            branch.Timer?.Dispose();
            if (code is 401 or 407 && !branch.AuthAnswered && !_cancelled && !_finalSent && TryAnswerChallengeLocked(branch, response))
            {
                return;
            }

            branch.Done = true;
            _progress.Attempts.Add(new CallAttempt(branch.Carrier.Name, branch.StartedAt, code, response.ReasonPhrase));
            _proxy.Metrics.CarrierAttempts.Increment(_proxy.Settings.FailoverOnCodes.Contains(code) ? "failover" : "rejected");
            if (_finalSent || branch != _current)
            {
                return;
            }

            if (!_cancelled && _proxy.Settings.FailoverOnCodes.Contains(code) && _next < _candidates.Count)
            {
                LogFailover(_proxy.Logger, CallId, _peer.Name, branch.Carrier.Name, response.ReasonPhrase);
                StartNextBranchLocked();
                return;
            }

            // RFC 3261 §16.7 step 6: a 503 is not passed upstream as is; SipTrunk says it is out of carriers instead.
            if (code == 503)
            {
                FinishLocked(503, "Service Unavailable", null);
                return;
            }

            FinishLocked(code, response.ReasonPhrase, CallMedia.Forward(_media, response));
        }
    }

    public void OnTimeout(ClientTransaction transaction)
    {
        lock (_gate)
        {
            if (_branchesById.TryGetValue(transaction.Branch, out var branch))
            {
                using var scope = BeginLogScope(branch);
                FailBranchLocked(branch, 408, "timeout", timeout: true);
            }
        }
    }

    public void OnTransportError(ClientTransaction transaction)
    {
        lock (_gate)
        {
            if (_branchesById.TryGetValue(transaction.Branch, out var branch))
            {
                using var scope = BeginLogScope(branch);
                FailBranchLocked(branch, 503, "transport error", timeout: false);
            }
        }
    }

    private void OnAnswerLocked(CallBranch branch, SipResponse response)
    {
        if (_answeredBy is null)
        {
            _answeredBy = branch;
            _progress.AnsweredAt = _proxy.Time.GetUtcNow();
            _progress.FinalCode = response.StatusCode;
            _progress.FinalReason = response.ReasonPhrase;
            branch.Timer?.Dispose();
            if (!branch.Done)
            {
                branch.Done = true;
                _progress.Attempts.Add(new CallAttempt(branch.Carrier.Name, branch.StartedAt, response.StatusCode, response.ReasonPhrase));
            }

            _proxy.Metrics.CarrierAttempts.Increment("answered");
            foreach (var other in _branches)
            {
                if (other != branch && !other.Done)
                {
                    other.Done = true;
                    other.Timer?.Dispose();
                    other.Transaction?.Cancel();
                    _progress.Attempts.Add(new CallAttempt(other.Carrier.Name, other.StartedAt, 0, "cancelled: answered elsewhere"));
                }
            }

            _finalSent = true;
            _answer = response;
            _media?.Answered(CallMedia.CarrierPolicy(branch.Carrier), OnMediaTimeout);
            _proxy.OnCallAnswered(this);
            _proxy.Calls.OnCallAnswered(CallId, "outbound", branch.Carrier.Name);
            LogAnswered(_proxy.Logger, CallId, _peer.Name, branch.Carrier.Name);
        }

        // Every 2xx goes upstream, retransmissions and other forks included (RFC 3261 §16.7 step 5, RFC 6026); only the
        // answering branch's SDP is anchored, another's is removed (the caller hangs that dialog up).
        _server.SendResponse(response.StatusCode, branch == _answeredBy
            ? CallMedia.Forward(_media, response)
            : ProxyMessageFactory.ForwardResponse(response, ReadOnlyMemory<byte>.Empty));
    }

    private void FailBranchLocked(CallBranch branch, int code, string reason, bool timeout)
    {
        if (branch.Done)
        {
            return;
        }

        branch.Done = true;
        branch.Timer?.Dispose();
        _progress.Attempts.Add(new CallAttempt(branch.Carrier.Name, branch.StartedAt, code, reason));
        _proxy.Metrics.CarrierAttempts.Increment(timeout ? "timeout" : "transport-error");
        if (_finalSent || branch != _current)
        {
            return;
        }

        if (_cancelled)
        {
            FinishLocked(487, "Request Terminated", null);
        }
        else if (_next < _candidates.Count)
        {
            LogFailover(_proxy.Logger, CallId, _peer.Name, branch.Carrier.Name, reason);
            StartNextBranchLocked();
        }
        else
        {
            FinishLocked(code, timeout ? "Request Timeout" : "Service Unavailable", null);
        }
    }

    private void StartNextBranchLocked()
    {
        if (_next >= _candidates.Count)
        {
            FinishLocked(503, "Service Unavailable", null);
            return;
        }

        var branch = new CallBranch(_candidates[_next++], _proxy.Time.GetUtcNow());
        _current = branch;
        _branches.Add(branch);
        _proxy.Tasks.Track(ConnectAndSendAsync(branch));
    }

    private async Task ConnectAndSendAsync(CallBranch branch)
    {
        using var scope = BeginLogScope(branch);
        SipFlow flow;
        try
        {
            flow = await _proxy.Flows.ConnectAsync(branch.Carrier, _proxy.Stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_proxy.Stopping.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // Every connect failure is a transport failure of this attempt: fail over.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            lock (_gate)
            {
                LogCarrierConnectFailed(_proxy.Logger, CallId, _peer.Name, branch.Carrier.Name, exception.Message);
                FailBranchLocked(branch, 503, "transport: " + exception.Message, timeout: false);
            }

            return;
        }

        lock (_gate)
        {
            if (branch.Done || _finalSent)
            {
                return;
            }

            if (_cancelled)
            {
                branch.Done = true;
                _progress.Attempts.Add(new CallAttempt(branch.Carrier.Name, branch.StartedAt, 0, "cancelled before sending"));
                FinishLocked(487, "Request Terminated", null);
                return;
            }

            branch.Flow = flow;
            branch.Timer = _proxy.Time.CreateTimer(static state => ((OutboundCall)((object[])state!)[0]).OnInviteTimeout((CallBranch)((object[])state!)[1]), new object[] { this, branch }, _proxy.Settings.InviteTimeout, Timeout.InfiniteTimeSpan);
            SendInviteLocked(branch, null);
        }
    }

    private void SendInviteLocked(CallBranch branch, (HeaderId Id, string Value)? credentials)
    {
        if (_media?.OfferToCallee(_request, CallMedia.CarrierPolicy(branch.Carrier)) is { } offer)
        {
            if (offer.IsRefused)
            {
                RefuseMediaLocked(branch, offer);
                return;
            }

            branch.Body = offer.Body;
        }

        var flow = branch.Flow!;
        var id = TransactionLayer.NewBranch();
        _branchesById[id] = branch;
        var target = TargetFor(branch.Carrier);
        var token = new FlowToken(_server.Flow.Id, _peer.Name, branch.Carrier.Name);
        var bytes = credentials is { } header
            ? _proxy.Messages.ForwardRequest(_request, _server.Flow, flow, id, target, _localRoutes, token, branch.Body, header)
            : _proxy.Messages.ForwardRequest(_request, _server.Flow, flow, id, target, _localRoutes, token, branch.Body);
        branch.Transaction = _proxy.Transactions.StartClientTransaction(flow, bytes, id, SipMethod.Invite, this);
    }

    // The Request-URI toward a carrier: its URI with the normalized number as the user part.
    private string TargetFor(CarrierDefinition carrier) => carrier.Uri.WithUser(_number).WithoutHeaders().ToString();

    private bool TryAnswerChallengeLocked(CallBranch branch, SipResponse response)
    {
        var carrier = branch.Carrier;
        if (carrier.AuthUsername is null || carrier.AuthPassword is null)
        {
            return false;
        }

        // RFC 8760 §2.4: of several challenges, answer the strongest algorithm we support.
        if (!DigestClientAuthenticator.TrySelectChallenge(response, out var challenge, out var credentialsHeader, out _)
            || !DigestClientAuthenticator.TryCreateCredentials(
                challenge, "INVITE", TargetFor(carrier), carrier.AuthUsername, carrier.AuthPassword,
                (branch.Body ?? _request.Body).Span, out var credentials, out _)
            || credentials is null)
        {
            return false;
        }

        branch.AuthAnswered = true;
        SendInviteLocked(branch, (credentialsHeader, credentials));
        return true;
    }

    // This carrier cannot take the call's media (its Srtp policy refuses the offer): the next one may; or ports ran out.
    private void RefuseMediaLocked(CallBranch branch, SdpOutcome offer)
    {
        branch.Done = true;
        branch.Timer?.Dispose();
        _progress.Attempts.Add(new CallAttempt(branch.Carrier.Name, branch.StartedAt, offer.StatusCode, offer.Reason ?? "media refused"));
        LogMediaRefused(_proxy.Logger, CallId, _peer.Name, branch.Carrier.Name, offer.Reason ?? "");
        if (offer.StatusCode == 488 && !_cancelled && _next < _candidates.Count)
        {
            StartNextBranchLocked();
            return;
        }

        FinishLocked(offer.StatusCode, offer.StatusCode == 488 ? "Not Acceptable Here" : "Service Unavailable", null, offer.Reason);
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

            using var scope = BeginLogScope(_answeredBy);
            LogMediaTimeout(_proxy.Logger, CallId, _peer.Name);
            HangUpLocked("media-timeout", DialogTeardown.TimeoutCause);
        }
    }

    // SipTrunk ends the answered call itself: a BYE to each party, and the record says the proxy ended it.
    private void HangUpLocked(string reason, int cause)
    {
        if (_answer is null || _answeredBy?.Flow is not { } carrierFlow)
        {
            return;
        }

        _ended = true;
        DialogTeardown.HangUp(_proxy, _peer.Name, _request, _answer, _server.Flow, carrierFlow, reason, cause);
        Report(CallStatus.Answered, "proxy", reason);
    }

    private void OnInviteTimeout(CallBranch branch)
    {
        lock (_gate)
        {
            if (branch.Done || _answeredBy is not null)
            {
                return;
            }

            using var scope = BeginLogScope(branch);
            // CONTRACT.md §3: no final response within InviteTimeoutSeconds → CANCEL this branch, try the next carrier.
            branch.Transaction?.Cancel();
            FailBranchLocked(branch, 408, "invite-timeout", timeout: true);
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
        var extra = new List<(HeaderId, string)>(2);
        if (code == 503)
        {
            extra.Add((HeaderId.RetryAfter, _proxy.Settings.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture)));
        }

        if (warning is not null)
        {
            // RFC 3261 §20.43: 399 is the miscellaneous warning; the text says which media rule refused the call.
            extra.Add((HeaderId.Warning, "399 siptrunk \"" + warning + "\""));
        }

        // The slot is free before the caller hears the call is over, so its next call is never refused for this one.
        _proxy.OnCallFinished(_peer.Name);
        _server.SendResponse(code, forwarded ?? ProxyMessageFactory.CreateResponse(_request, code, reason, _server.ServerHeader, [.. extra]));
        foreach (var branch in _branches)
        {
            branch.Timer?.Dispose();
        }

        var status = CallStatus.FromFinalResponse(code, _cancelled);
        // A final response relayed from the far end (busy, declined, its own failure) was the callee's doing.
        Report(status, _cancelled ? "caller" : forwarded is null ? "proxy" : "callee", _cancelled ? "cancel" : endReason ?? code.ToString(CultureInfo.InvariantCulture));
    }

    // Callbacks arrive on the carrier's connection, timers and tasks: each names the call (CONTRACT.md §6).
    private IDisposable? BeginLogScope(CallBranch? branch) => CallLogScope.Begin(_proxy.Logger, CallId, _peer.Name, branch?.Carrier.Name);

    private void Report(string status, string endedBy, string reason)
    {
        var answered = _answeredBy;
        var summary = _progress.Summarize(
            "outbound",
            _peer.Name,
            answered?.Carrier.Name ?? (_branches.Count > 0 ? _branches[^1].Carrier.Name : null),
            (answered ?? _current)?.Flow?.Tls,
            _media?.Finish(_proxy.Metrics),
            _proxy.Time.GetUtcNow(),
            status,
            endedBy,
            reason);
        var logger = _proxy.Logger;
        if (logger.IsEnabled(LogLevel.Information))
        {
            var attempts = string.Join("; ", summary.Attempts.Select(a => $"{a.Carrier} {a.SipCode} {a.Reason}"));
            var media = summary.Media?.Describe() ?? "none";
            LogCallEnded(logger, CallId, _peer.Name, status, _progress.FinalCode, reason, attempts, media);
        }

        _proxy.Calls.OnCallEnded(summary);

        // Last: a drain waiting for this call goes on only once its record is with the writer.
        _proxy.OnCallClosed(this);
    }

    [LoggerMessage(EventId = 3210, Level = LogLevel.Information, Message = "Call {CallId} from {Peer} to {Number}: {CarrierCount} carrier(s) to try")]
    private static partial void LogCallStarted(ILogger logger, string callId, string peer, string number, int carrierCount);

    [LoggerMessage(EventId = 3211, Level = LogLevel.Information, Message = "Call {CallId} from {Peer}: carrier {Carrier} failed ({Outcome}), failing over")]
    private static partial void LogFailover(ILogger logger, string callId, string peer, string carrier, string outcome);

    [LoggerMessage(EventId = 3212, Level = LogLevel.Information, Message = "Call {CallId} from {Peer} answered by {Carrier}")]
    private static partial void LogAnswered(ILogger logger, string callId, string peer, string carrier);

    [LoggerMessage(EventId = 3213, Level = LogLevel.Information, Message = "Call {CallId} from {Peer} ended: {Status} {SipCode} ({EndReason}); attempts: {Attempts}; media: {Media}")]
    private static partial void LogCallEnded(ILogger logger, string callId, string peer, string status, int sipCode, string endReason, string attempts, string media);

    [LoggerMessage(EventId = 3215, Level = LogLevel.Information, Message = "Call {CallId} from {Peer}: carrier {Carrier} refused for media: {Reason}")]
    private static partial void LogMediaRefused(ILogger logger, string callId, string peer, string carrier, string reason);

    [LoggerMessage(EventId = 3216, Level = LogLevel.Warning, Message = "Call {CallId} from {Peer}: no media within the inactivity timeout, hanging up both sides")]
    private static partial void LogMediaTimeout(ILogger logger, string callId, string peer);

    [LoggerMessage(EventId = 3214, Level = LogLevel.Warning, Message = "Call {CallId} from {Peer}: cannot reach carrier {Carrier}: {Reason}")]
    private static partial void LogCarrierConnectFailed(ILogger logger, string callId, string peer, string carrier, string reason);
}

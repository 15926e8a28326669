using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Transactions;

/// <summary>
/// An RFC 3261 §17.1 client transaction (INVITE or non-INVITE) with the RFC 6026 Accepted state. Thread-safe: state
/// changes happen under a lock per transaction; reports to the <see cref="IClientTransactionUser"/> are queued under
/// that lock and delivered outside it, one at a time and in order, and nothing is queued once the transaction ended.
/// Created by <see cref="TransactionLayer.StartClientTransaction(SipFlow, ReadOnlyMemory{byte}, string, SipMethod, IClientTransactionUser)"/>.
/// </summary>
public sealed class ClientTransaction
{
    private readonly TransactionLayer _layer;
    private readonly IClientTransactionUser _user;
    private readonly Lock _gate = new();

    // Timer A or E; and Timer B, D, F, K or M, whichever the state calls for.
    private readonly TransactionTimer _retransmitTimer;
    private readonly TransactionTimer _lifetimeTimer;
    private TransactionState _state;
    private TimeSpan _retransmitInterval;
    private SipRequest? _parsedRequest;
    private bool _requestUnparsable;
    private byte[]? _ack;
    private bool _cancelRequested;
    private Queue<Report>? _reports;
    private bool _delivering;

    internal ClientTransaction(TransactionLayer layer, SipFlow flow, string branch, SipMethod method, ReadOnlyMemory<byte> request, IClientTransactionUser user)
    {
        _layer = layer;
        _user = user;
        Flow = flow;
        Branch = branch;
        Method = method;
        Request = request;

        // §17.1.1.2: an INVITE client transaction starts in Calling; §17.1.2.2: a non-INVITE one in Trying.
        _state = IsInvite ? TransactionState.Calling : TransactionState.Trying;
        _retransmitTimer = new TransactionTimer(layer.Time, OnRetransmitTimer);
        _lifetimeTimer = new TransactionTimer(layer.Time, OnLifetimeTimer);
    }

    private enum ReportKind
    {
        Response,
        Timeout,
        TransportError,
    }

    public SipFlow Flow { get; }

    public string Branch { get; }

    public SipMethod Method { get; }

    public bool IsInvite => Method == SipMethod.Invite;

    /// <summary>The request bytes as sent.</summary>
    public ReadOnlyMemory<byte> Request { get; }

    public TransactionState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>The transaction user's own state (the proxy's branch context).</summary>
    public object? UserState { get; set; }

    internal ClientTransactionKey Key => new(Branch, Method);

    private TransactionTimers Timers => _layer.Timers;

    /// <summary>
    /// RFC 3261 §9.1: cancels an INVITE transaction. The CANCEL is sent at once when a provisional response has been
    /// received, otherwise as soon as one arrives; nothing is sent once a final response arrived. The CANCEL's own
    /// transaction is the layer's business; the INVITE then ends with 487 (reported) or Timer B (reported): once the
    /// CANCEL is sent, a final response must arrive within 64·T1 (§9.1), else <see cref="IClientTransactionUser.OnTimeout"/>.
    /// Idempotent.
    /// </summary>
    /// <exception cref="InvalidOperationException">The transaction is not an INVITE transaction.</exception>
    public void Cancel()
    {
        if (!IsInvite)
        {
            throw new InvalidOperationException("Only an INVITE client transaction can be cancelled (RFC 3261 §9.1).");
        }

        lock (_gate)
        {
            if (_cancelRequested)
            {
                return;
            }

            _cancelRequested = true;
            if (_state != TransactionState.Proceeding)
            {
                // Calling: §9.1 forbids a CANCEL before a provisional response; it goes out with the first one.
                return;
            }

            ArmCancelDeadlineLocked();
        }

        SendCancel();
    }

    /// <summary>Arms the timers and sends the request (§17.1.1.2, §17.1.2.2).</summary>
    internal void Start()
    {
        lock (_gate)
        {
            // Timers A and E run on unreliable flows only; B and F on every flow.
            if (!Flow.IsReliable)
            {
                _retransmitInterval = Timers.T1;
                _retransmitTimer.Start(_retransmitInterval);
            }

            _lifetimeTimer.Start(Timers.TransactionTimeout);
        }

        if (!Flow.TrySend(Request))
        {
            FailTransport();
        }
    }

    /// <summary>A response matched this transaction (§17.1.3).</summary>
    internal void OnResponse(SipResponse response)
    {
        byte[]? ack = null;
        var sendCancel = false;
        lock (_gate)
        {
            var report = IsInvite ? OnInviteResponseLocked(response, out ack, out sendCancel) : OnNonInviteResponseLocked(response.StatusCode);
            if (report)
            {
                EnqueueLocked(ReportKind.Response, response);
            }
        }

        // An ACK the flow refuses is not reported: the final response is, and the INVITE's outcome is settled by it.
        if (ack is not null)
        {
            Flow.TrySend(ack);
        }

        if (sendCancel)
        {
            SendCancel();
        }

        DeliverReports();
    }

    /// <summary>
    /// §17.1.4: the flow refused a send or closed. Reported once while the outcome is open; after a final response
    /// the transaction just ends.
    /// </summary>
    internal void FailTransport()
    {
        bool report;
        lock (_gate)
        {
            if (_state == TransactionState.Terminated)
            {
                return;
            }

            report = _state is TransactionState.Calling or TransactionState.Trying or TransactionState.Proceeding;
            if (report)
            {
                EnqueueLocked(ReportKind.TransportError, null);
            }

            EndLocked();
        }

        if (report)
        {
            _layer.Logger.ClientTransportError(Method, Branch, Flow);
            DeliverReports();
        }
    }

    private bool OnInviteResponseLocked(SipResponse response, out byte[]? ack, out bool sendCancel)
    {
        ack = null;
        sendCancel = false;
        var code = response.StatusCode;
        switch (_state)
        {
            case TransactionState.Calling or TransactionState.Proceeding when code < 200:
                if (_state == TransactionState.Calling)
                {
                    // §17.1.1.2: Proceeding stops Timer A; Timer B only bounds Calling.
                    _state = TransactionState.Proceeding;
                    _retransmitTimer.Stop();
                    _lifetimeTimer.Stop();
                    if (_cancelRequested)
                    {
                        ArmCancelDeadlineLocked();
                        sendCancel = true;
                    }
                }

                return true;
            case TransactionState.Calling or TransactionState.Proceeding when code < 300:
                // RFC 6026 §8.4: Accepted; Timer M lets 2xx retransmissions and other forks' 2xx reach the TU.
                _state = TransactionState.Accepted;
                _retransmitTimer.Stop();
                _lifetimeTimer.Start(Timers.TransactionTimeout);
                return true;
            case TransactionState.Calling or TransactionState.Proceeding:
                // §17.1.1.2: Completed, the layer ACKs; Timer D (at least 32 s) absorbs retransmitted finals on UDP.
                _state = TransactionState.Completed;
                _retransmitTimer.Stop();
                _lifetimeTimer.Stop();
                ack = _ack = BuildLocked(SipMethods.Ack, invite => InviteFollowUpRequests.CreateAck(invite, response));
                if (Flow.IsReliable)
                {
                    EndLocked();
                }
                else
                {
                    var timerD = TimeSpan.FromSeconds(32);
                    _lifetimeTimer.Start(Timers.TransactionTimeout > timerD ? Timers.TransactionTimeout : timerD);
                }

                return true;
            case TransactionState.Accepted:
                return code is >= 200 and < 300;
            case TransactionState.Completed when code >= 300:
                // A retransmitted final: ACK it again, the TU already knows.
                ack = _ack;
                return false;
            default:
                return false;
        }
    }

    private bool OnNonInviteResponseLocked(int code)
    {
        if (_state is not (TransactionState.Trying or TransactionState.Proceeding))
        {
            // §17.1.2.2: Completed absorbs retransmitted responses.
            return false;
        }

        if (code < 200)
        {
            _state = TransactionState.Proceeding;
            return true;
        }

        // §17.1.2.2: Completed; Timer K absorbs retransmitted responses for T4 on UDP, zero on reliable flows.
        _state = TransactionState.Completed;
        _retransmitTimer.Stop();
        _lifetimeTimer.Stop();
        if (Flow.IsReliable)
        {
            EndLocked();
        }
        else
        {
            _lifetimeTimer.Start(Timers.T4);
        }

        return true;
    }

    private void OnRetransmitTimer(object ticket)
    {
        lock (_gate)
        {
            if (!_retransmitTimer.TryConsume(ticket))
            {
                return;
            }

            switch (_state)
            {
                case TransactionState.Calling:
                    // §17.1.1.2: Timer A doubles without bound (Timer B ends it).
                    _retransmitInterval *= 2;
                    break;
                case TransactionState.Trying:
                    // §17.1.2.2: Timer E doubles up to T2 ...
                    _retransmitInterval = _retransmitInterval * 2 < Timers.T2 ? _retransmitInterval * 2 : Timers.T2;
                    break;
                case TransactionState.Proceeding when !IsInvite:
                    // ... and runs at T2 once a provisional response arrived.
                    _retransmitInterval = Timers.T2;
                    break;
                default:
                    return;
            }

            _retransmitTimer.Start(_retransmitInterval);
        }

        if (!Flow.TrySend(Request))
        {
            FailTransport();
        }
    }

    private void OnLifetimeTimer(object ticket)
    {
        bool timedOut;
        lock (_gate)
        {
            if (!_lifetimeTimer.TryConsume(ticket))
            {
                return;
            }

            // Timer B or F (or the §9.1 CANCEL deadline) while the outcome is open; D, K and M end quietly.
            timedOut = _state is TransactionState.Calling or TransactionState.Trying or TransactionState.Proceeding;
            if (timedOut)
            {
                EnqueueLocked(ReportKind.Timeout, null);
            }

            EndLocked();
        }

        if (timedOut)
        {
            _layer.Logger.ClientTimedOut(Method, Branch, Flow);
            DeliverReports();
        }
    }

    private void ArmCancelDeadlineLocked()
    {
        // §9.1: without a final response to the INVITE 64·T1 after the CANCEL, the INVITE transaction is given up.
        _lifetimeTimer.Start(Timers.TransactionTimeout);
    }

    private void SendCancel()
    {
        byte[]? cancel;
        lock (_gate)
        {
            cancel = BuildLocked(SipMethods.Cancel, invite => InviteFollowUpRequests.CreateCancel(invite, _layer.UserAgent));
        }

        // §9.1: the CANCEL is a non-INVITE client transaction of its own, with the INVITE's branch.
        if (cancel is not null)
        {
            _layer.TryStartClientTransaction(Flow, cancel, Branch, SipMethod.Cancel, new CancelUser(this), userState: null);
        }
    }

    private byte[]? BuildLocked(string method, Func<SipRequest, byte[]> build)
    {
        if (_parsedRequest is null && !_requestUnparsable)
        {
            var parsed = SipParser.Parse(Request);
            _parsedRequest = parsed.Message as SipRequest;
            if (_parsedRequest is null)
            {
                _requestUnparsable = true;
                _layer.Logger.FollowUpNotBuilt(method, Branch, parsed.Error ?? "not a request");
            }
        }

        return _parsedRequest is null ? null : build(_parsedRequest);
    }

    private void EnqueueLocked(ReportKind kind, SipResponse? response)
    {
        (_reports ??= new Queue<Report>()).Enqueue(new Report(kind, response));
    }

    private void EndLocked()
    {
        if (_state == TransactionState.Terminated)
        {
            return;
        }

        _state = TransactionState.Terminated;
        _retransmitTimer.Stop();
        _lifetimeTimer.Stop();
        _layer.Remove(this);
    }

    /// <summary>
    /// Delivers queued reports outside the lock. Only one thread delivers at a time, so the user sees them in the
    /// order they were decided, and a report decided on a timer thread cannot overtake one from the receive thread.
    /// </summary>
    private void DeliverReports()
    {
        lock (_gate)
        {
            if (_delivering)
            {
                return;
            }

            _delivering = true;
        }

        while (true)
        {
            Report report;
            lock (_gate)
            {
                if (_reports is null || !_reports.TryDequeue(out report))
                {
                    _delivering = false;
                    return;
                }
            }

            Deliver(report);
        }
    }

    private void Deliver(Report report)
    {
        var callback = report.Kind switch
        {
            ReportKind.Response => nameof(IClientTransactionUser.OnResponse),
            ReportKind.Timeout => nameof(IClientTransactionUser.OnTimeout),
            _ => nameof(IClientTransactionUser.OnTransportError),
        };
        try
        {
            switch (report.Kind)
            {
                case ReportKind.Response:
                    _user.OnResponse(this, report.Response!);
                    break;
                case ReportKind.Timeout:
                    _user.OnTimeout(this);
                    break;
                default:
                    _user.OnTransportError(this);
                    break;
            }
        }
        catch (Exception exception)
        {
            // The user must not throw; if it does, the receive loop or timer thread must survive it.
            _layer.Logger.CallbackFailed(exception, callback);
        }
    }

    private readonly record struct Report(ReportKind Kind, SipResponse? Response);

    /// <summary>The user of the internal CANCEL transaction: its responses are swallowed (§9.1: the INVITE's 487 matters).</summary>
    private sealed class CancelUser(ClientTransaction invite) : IClientTransactionUser
    {
        public void OnResponse(ClientTransaction transaction, SipResponse response)
        {
        }

        // The INVITE's own deadline (armed when the CANCEL was sent) reports the outcome.
        public void OnTimeout(ClientTransaction transaction)
        {
        }

        // A flow that refuses the CANCEL will not carry the INVITE's final response either.
        public void OnTransportError(ClientTransaction transaction) => invite.FailTransport();
    }
}

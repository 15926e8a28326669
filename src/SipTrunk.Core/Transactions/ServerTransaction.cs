using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Transactions;

/// <summary>
/// An RFC 3261 §17.2 server transaction (INVITE or non-INVITE) with the RFC 6026 Accepted state. Thread-safe: state
/// changes happen under a lock per transaction, sends outside it. Created by <see cref="TransactionLayer"/> only.
/// </summary>
public sealed class ServerTransaction
{
    private readonly TransactionLayer _layer;
    private readonly Lock _gate = new();

    // Timer G; and Timer H, I, J or L, whichever the state calls for.
    private readonly TransactionTimer _retransmitTimer;
    private readonly TransactionTimer _lifetimeTimer;
    private TransactionState _state;
    private ReadOnlyMemory<byte> _lastResponse;
    private int _lastStatusCode;
    private TimeSpan _retransmitInterval;

    internal ServerTransaction(TransactionLayer layer, ServerTransactionKey key, SipRequest request, SipFlow flow)
    {
        _layer = layer;
        Key = key;
        Request = request;
        Flow = flow;

        // §17.2.1: an INVITE server transaction starts in Proceeding; §17.2.2: a non-INVITE one in Trying.
        _state = IsInvite ? TransactionState.Proceeding : TransactionState.Trying;
        _retransmitTimer = new TransactionTimer(layer.Time, OnRetransmitTimer);
        _lifetimeTimer = new TransactionTimer(layer.Time, OnLifetimeTimer);
    }

    public SipRequest Request { get; }

    /// <summary>The Server header value for responses SipTrunk generates on this transaction (<see cref="TransactionLayer.UserAgent"/>).</summary>
    public string? ServerHeader => _layer.UserAgent;

    /// <summary>The flow the request arrived on; responses go back down it (RFC 3261 §18.2.2).</summary>
    public SipFlow Flow { get; }

    public bool IsInvite => Request.Method == SipMethod.Invite;

    /// <summary>The branch of the request's top Via (the transaction id, RFC 3261 §17.2.3).</summary>
    public string Branch => Key.Branch;

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

    /// <summary>The status code of the last response sent, 0 before any.</summary>
    public int LastStatusCode => Volatile.Read(ref _lastStatusCode);

    /// <summary>The transaction user's own state (the proxy's call context).</summary>
    public object? UserState { get; set; }

    internal ServerTransactionKey Key { get; }

    private TransactionTimers Timers => _layer.Timers;

    /// <summary>
    /// Sends a response (the caller gives up <paramref name="response"/>). 1xx keeps the transaction open, 2xx on INVITE
    /// moves to Accepted (RFC 6026; further 2xx may still be sent), other finals to Completed with retransmission on
    /// UDP. Returns false when the transaction cannot send any more (a final non-2xx already sent, or terminated) or the
    /// flow refused the bytes.
    /// </summary>
    public bool SendResponse(int statusCode, ReadOnlyMemory<byte> response)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 699);
        lock (_gate)
        {
            if (!TryAcceptResponseLocked(statusCode))
            {
                return false;
            }

            _lastResponse = response;
            Volatile.Write(ref _lastStatusCode, statusCode);
        }

        if (!Flow.TrySend(response))
        {
            FailTransport();
            return false;
        }

        return true;
    }

    /// <summary>A retransmission of the request arrived: resend the last response, never bother the TU (§17.2.1, §17.2.2).</summary>
    internal void OnRequestRetransmission()
    {
        ReadOnlyMemory<byte> response;
        lock (_gate)
        {
            // Trying has nothing to resend yet; RFC 6026 §7.1: in Accepted the INVITE is absorbed (the UAS, not this
            // transaction, retransmits its 2xx); Confirmed absorbs too.
            if (_state is not (TransactionState.Proceeding or TransactionState.Completed) || _lastResponse.IsEmpty)
            {
                return;
            }

            response = _lastResponse;
        }

        if (!Flow.TrySend(response))
        {
            FailTransport();
        }
    }

    /// <summary>An ACK matched this (INVITE) transaction.</summary>
    internal AckDisposition OnAck()
    {
        lock (_gate)
        {
            switch (_state)
            {
                case TransactionState.Accepted:
                    // RFC 6026 §7.1: the ACK for a 2xx is passed to the TU, which forwards it end to end.
                    return AckDisposition.ForUser;
                case TransactionState.Completed when IsInvite:
                    // §17.2.1: Confirmed; Timer I absorbs ACK retransmissions for T4 on UDP, zero on reliable flows.
                    _state = TransactionState.Confirmed;
                    _retransmitTimer.Stop();
                    _lifetimeTimer.Stop();
                    StartOrEndLocked(Flow.IsReliable ? TimeSpan.Zero : Timers.T4);
                    return AckDisposition.Confirmed;
                default:
                    return AckDisposition.Absorbed;
            }
        }
    }

    /// <summary>The flow closed: nothing can be sent any more, so the transaction ends without a report.</summary>
    internal void Abandon()
    {
        lock (_gate)
        {
            EndLocked();
        }
    }

    private bool TryAcceptResponseLocked(int statusCode)
    {
        var open = _state is TransactionState.Trying or TransactionState.Proceeding;
        if (open && statusCode < 200)
        {
            _state = TransactionState.Proceeding;
            return true;
        }

        if (open && IsInvite && statusCode < 300)
        {
            // RFC 6026 §7.1: Accepted for Timer L = 64·T1; the 2xx is retransmitted by the UAS core, not here.
            _state = TransactionState.Accepted;
            _lifetimeTimer.Start(Timers.TransactionTimeout);
            return true;
        }

        if (open && IsInvite)
        {
            // §17.2.1: Completed; Timer G retransmits the response on UDP, Timer H bounds the wait for the ACK.
            _state = TransactionState.Completed;
            if (!Flow.IsReliable)
            {
                _retransmitInterval = Timers.T1;
                _retransmitTimer.Start(_retransmitInterval);
            }

            _lifetimeTimer.Start(Timers.TransactionTimeout);
            return true;
        }

        if (open)
        {
            // §17.2.2: Completed; Timer J absorbs request retransmissions for 64·T1 on UDP, zero on reliable flows.
            _state = TransactionState.Completed;
            StartOrEndLocked(Flow.IsReliable ? TimeSpan.Zero : Timers.TransactionTimeout);
            return true;
        }

        // RFC 6026 §7.1: further 2xx from the TU in Accepted are passed to the transport.
        return _state == TransactionState.Accepted && statusCode is >= 200 and < 300;
    }

    private void OnRetransmitTimer(object ticket)
    {
        ReadOnlyMemory<byte> response;
        lock (_gate)
        {
            if (!_retransmitTimer.TryConsume(ticket) || _state != TransactionState.Completed)
            {
                return;
            }

            // §17.2.1: Timer G doubles up to T2.
            _retransmitInterval = Min(_retransmitInterval * 2, Timers.T2);
            _retransmitTimer.Start(_retransmitInterval);
            response = _lastResponse;
        }

        if (!Flow.TrySend(response))
        {
            FailTransport();
        }
    }

    private void OnLifetimeTimer(object ticket)
    {
        int unacknowledged;
        lock (_gate)
        {
            if (!_lifetimeTimer.TryConsume(ticket))
            {
                return;
            }

            // Timer H in Completed means the ACK never came (§17.2.1); I, J and L end the transaction normally.
            unacknowledged = IsInvite && _state == TransactionState.Completed ? _lastStatusCode : 0;
            EndLocked();
        }

        if (unacknowledged != 0)
        {
            _layer.Logger.ServerAckTimedOut(Branch, Flow, unacknowledged);
        }
    }

    /// <summary>§17.2.4: the transport refused a response; the transaction ends (the TU sees SendResponse return false).</summary>
    private void FailTransport()
    {
        lock (_gate)
        {
            if (_state == TransactionState.Terminated)
            {
                return;
            }

            EndLocked();
        }

        _layer.Logger.ServerTransportError(Branch, Flow);
    }

    private void StartOrEndLocked(TimeSpan due)
    {
        if (due > TimeSpan.Zero)
        {
            _lifetimeTimer.Start(due);
        }
        else
        {
            EndLocked();
        }
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

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

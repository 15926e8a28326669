namespace SipTrunk.Core.Proxy;

/// <summary>Where the proxy reports calls (the CDR writer, metrics). Must not block and must not throw.</summary>
public interface ICallObserver
{
    /// <summary>A call was accepted for routing (counts toward active calls until <see cref="OnCallEnded"/>).</summary>
    void OnCallStarted(string callId, string direction, string? peer);

    /// <summary>
    /// <see cref="OnCallStarted(string, string, string)"/> with what is known of the call at its start (who, from,
    /// to, when): the record it would get if it never reported its end (a crash), for observers that keep one.
    /// By default the short form.
    /// </summary>
    void OnCallStarted(CallSummary start)
    {
        ArgumentNullException.ThrowIfNull(start);
        OnCallStarted(start.CallId, start.Direction, start.Peer);
    }

    /// <summary>
    /// A call started with <see cref="OnCallStarted"/> was answered (its first 2xx): <paramref name="carrier"/> is the
    /// carrier that answered an outbound call or sent an inbound one. Observers that only need the outcome ignore it.
    /// </summary>
    void OnCallAnswered(string callId, string direction, string carrier)
    {
    }

    /// <summary>A call ended: failed, cancelled or rejected before an answer, or hung up after one.</summary>
    void OnCallEnded(CallSummary summary);

    /// <summary>
    /// SipTrunk refused a new call itself before routing it (<see cref="CallStatus.Rejected"/>, see
    /// <c>RejectedCalls</c>): it never was in progress. By default a start and an end at once; an observer that keeps
    /// calls in progress by Call-ID overrides this so a refused INVITE that reuses a live call's Call-ID (a merged
    /// request, RFC 3261 §8.2.2.2) leaves that call alone.
    /// </summary>
    void OnCallRejected(CallSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        OnCallStarted(summary.CallId, summary.Direction, summary.Peer);
        OnCallEnded(summary);
    }
}

namespace SipTrunk.Core.Proxy;

/// <summary>Where the proxy reports calls (the CDR writer, metrics). Must not block and must not throw.</summary>
public interface ICallObserver
{
    /// <summary>A call was accepted for routing (counts toward active calls until <see cref="OnCallEnded"/>).</summary>
    void OnCallStarted(string callId, string direction, string? peer);

    /// <summary>A call ended: failed, cancelled or rejected before an answer, or hung up after one.</summary>
    void OnCallEnded(CallSummary summary);
}

namespace SipTrunk.Core.Proxy;

/// <summary>Reports each call to several observers in order (counters first, then the record writer).</summary>
public sealed class CallObservers(params ICallObserver[] observers) : ICallObserver
{
    public void OnCallStarted(string callId, string direction, string? peer)
    {
        foreach (var observer in observers)
        {
            observer.OnCallStarted(callId, direction, peer);
        }
    }

    public void OnCallStarted(CallSummary start)
    {
        foreach (var observer in observers)
        {
            observer.OnCallStarted(start);
        }
    }

    public void OnCallAnswered(string callId, string direction, string carrier)
    {
        foreach (var observer in observers)
        {
            observer.OnCallAnswered(callId, direction, carrier);
        }
    }

    public void OnCallEnded(CallSummary summary)
    {
        foreach (var observer in observers)
        {
            observer.OnCallEnded(summary);
        }
    }

    public void OnCallRejected(CallSummary summary)
    {
        foreach (var observer in observers)
        {
            observer.OnCallRejected(summary);
        }
    }
}

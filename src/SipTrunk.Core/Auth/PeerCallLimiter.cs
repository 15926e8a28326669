namespace SipTrunk.Core.Auth;

/// <summary>
/// Per-peer call limits (CONTRACT.md §3 Limits): a token bucket of <c>MaxCallsPerSecond</c> (burst of one second's
/// worth) and a count of calls in progress against <c>MaxConcurrentCalls</c>. Thread-safe.
/// </summary>
public sealed class PeerCallLimiter
{
    public PeerCallLimiter(TimeProvider time) => _ = time;

    /// <summary>Admits a call of <paramref name="peer"/> (counting it as active) or says which limit refused it.</summary>
    public CallAdmission TryStartCall(string peer, int maxCallsPerSecond, int maxConcurrentCalls) => throw new NotImplementedException();

    /// <summary>An admitted call ended.</summary>
    public void EndCall(string peer) => throw new NotImplementedException();

    /// <summary>Calls of <paramref name="peer"/> in progress.</summary>
    public int ActiveCalls(string peer) => throw new NotImplementedException();
}

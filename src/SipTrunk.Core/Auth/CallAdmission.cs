namespace SipTrunk.Core.Auth;

/// <summary>Whether a peer may start another call now.</summary>
public enum CallAdmission
{
    Admitted,

    /// <summary>Over <c>MaxCallsPerSecond</c>.</summary>
    RateExceeded,

    /// <summary>Over <c>MaxConcurrentCalls</c>.</summary>
    ConcurrencyExceeded,
}

using System.Net;
using SipTrunk.Core.Transport;

namespace SipTrunk.Core.Auth;

/// <summary>
/// Counts failed authentications per source address; after <c>Limits:AuthFailuresBeforeBan</c> the address is refused
/// for <c>Limits:BanSeconds</c> (the transports consult it at accept). Bounded memory; thread-safe.
/// </summary>
public sealed class AuthFailureTracker : IConnectionAdmission
{
    public AuthFailureTracker(int failuresBeforeBan, TimeSpan banDuration, TimeProvider time, int maxTrackedAddresses = 100_000)
    {
        _ = failuresBeforeBan;
        _ = banDuration;
        _ = time;
        _ = maxTrackedAddresses;
    }

    /// <summary>Addresses banned now.</summary>
    public int BannedCount => throw new NotImplementedException();

    /// <summary>Records a failure; true when it starts a ban.</summary>
    public bool RecordFailure(IPAddress address) => throw new NotImplementedException();

    /// <summary>A successful authentication clears the address's failure count.</summary>
    public void RecordSuccess(IPAddress address) => throw new NotImplementedException();

    /// <inheritdoc/>
    public bool IsRefused(IPAddress address) => throw new NotImplementedException();
}

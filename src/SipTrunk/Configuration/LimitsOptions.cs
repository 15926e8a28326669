namespace SipTrunk.Configuration;

/// <summary><c>Limits</c>: protections against oversized, slow or abusive clients.</summary>
internal sealed record LimitsOptions
{
    /// <summary>65535: the largest UDP payload, and far above any real SIP message.</summary>
    public int MaxMessageBytes { get; init; } = 65535;

    public int MaxConnectionsPerIp { get; init; } = 64;

    public int PartialMessageSeconds { get; init; } = 10;

    /// <summary>3900 s: above the 3600 s registration expiry commonly used, so idle registered flows survive.</summary>
    public int IdleConnectionSeconds { get; init; } = 3900;

    public int AuthFailuresBeforeBan { get; init; } = 10;

    public int BanSeconds { get; init; } = 600;

    /// <summary>
    /// Requests per second one source IP may send (token bucket refill), checked before parsing and authentication. 50
    /// covers a PBX at the default 10 calls/s (INVITE, ACK, BYE each) with room for REGISTER and OPTIONS.
    /// </summary>
    public int RequestsPerSecondPerIp { get; init; } = 50;

    /// <summary>The bucket's size: requests a quiet source may send at once (a PBX re-registering after a restart).</summary>
    public int RequestBurstPerIp { get; init; } = 100;
}

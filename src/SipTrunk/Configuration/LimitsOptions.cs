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
    /// Requests per second one source IP may send (token bucket refill), checked before parsing and authentication. 200
    /// covers about 50 calls/s from one address (INVITE, its digest retry, ACK, BYE), a PBX trunk or a carrier's edge,
    /// with room for REGISTER and OPTIONS; a scanner or flood far above it is dropped and banned.
    /// </summary>
    public int RequestsPerSecondPerIp { get; init; } = 200;

    /// <summary>The bucket's size: requests a quiet source may send at once (a PBX re-registering after a restart).</summary>
    public int RequestBurstPerIp { get; init; } = 400;
}

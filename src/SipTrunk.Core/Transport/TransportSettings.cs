namespace SipTrunk.Core.Transport;

/// <summary>
/// Limits and timers of the SIP transports (CONTRACT.md §3 "Connections"). Immutable; the defaults are the documented
/// configuration defaults.
/// </summary>
public sealed record TransportSettings
{
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(49);

    /// <summary>A TLS handshake not finished within this closes the connection (<c>Tls:HandshakeTimeoutSeconds</c>).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A message started but not finished within this closes the connection (<c>Limits:PartialMessageSeconds</c>).</summary>
    public TimeSpan PartialMessageTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A connection that receives no byte at all (keep-alives count) for this long is closed
    /// (<c>Limits:IdleConnectionSeconds</c>); 3900 s outlives the 3600 s default registration by a safety margin.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(3900);

    /// <summary>Connections from one IP address beyond this are refused at accept (<c>Limits:MaxConnectionsPerIp</c>).</summary>
    public int MaxConnectionsPerIp { get; init; } = 64;

    /// <summary>Largest SIP message on any transport (<c>Limits:MaxMessageBytes</c>); 65535 is the largest UDP datagram.</summary>
    public int MaxMessageBytes { get; init; } = 65535;

    /// <summary>
    /// Period of the CRLFCRLF pings on outbound connections (RFC 5626 §4.4.1); <see cref="TimeSpan.Zero"/> disables them.
    /// 30 s stays below common NAT and firewall idle timers.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After a ping, an outbound connection that receives nothing for this long is closed (RFC 5626 §4.4.1).</summary>
    public TimeSpan KeepAlivePongTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an outbound connection (DNS, TCP and TLS handshake together) may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Messages queued for sending per flow (per socket for UDP) before <see cref="SipFlow.TrySend"/> refuses more: a
    /// peer that stops reading cannot make SipTrunk buffer without bound.
    /// </summary>
    public int SendQueueLimit { get; init; } = 4096;

    /// <summary>
    /// The per-source request rate (<c>Limits:RequestsPerSecondPerIp</c>, <c>Limits:RequestBurstPerIp</c>), applied to
    /// every request arriving on a listener or UDP socket before it is parsed; <see langword="null"/>: no limit. The host
    /// always sets it (default 50/s, burst 100); SipTrunk's own connections to carriers are not limited.
    /// </summary>
    public RequestRateLimit? RequestRateLimit { get; init; }

    /// <summary>Remote addresses one UDP socket keeps a flow for; beyond it the longest-quiet flows are forgotten.</summary>
    public int MaxUdpFlows { get; init; } = 10_000;

    /// <summary>The <c>Server</c> header of the responses the transport sends itself (<c>Sip:UserAgent</c>); null: none.</summary>
    public string? UserAgent { get; init; } = "SipTrunk";

    /// <summary>Throws when a value is out of range; the host validates configuration before this point.</summary>
    /// <exception cref="ArgumentException">A value is zero, negative or too large.</exception>
    public void Validate()
    {
        RequirePositive(HandshakeTimeout, nameof(HandshakeTimeout));
        RequirePositive(PartialMessageTimeout, nameof(PartialMessageTimeout));
        RequirePositive(IdleTimeout, nameof(IdleTimeout));
        RequirePositive(KeepAlivePongTimeout, nameof(KeepAlivePongTimeout));
        RequirePositive(ConnectTimeout, nameof(ConnectTimeout));
        if (KeepAliveInterval != TimeSpan.Zero)
        {
            RequirePositive(KeepAliveInterval, nameof(KeepAliveInterval));
        }

        if (MaxConnectionsPerIp < 1)
        {
            throw new ArgumentException($"{nameof(MaxConnectionsPerIp)} must be at least 1", nameof(MaxConnectionsPerIp));
        }

        // Below a few hundred bytes not even a minimal request fits; above 64 KiB a UDP datagram cannot carry it.
        if (MaxMessageBytes is < 512 or > 65535)
        {
            throw new ArgumentException($"{nameof(MaxMessageBytes)} must be between 512 and 65535", nameof(MaxMessageBytes));
        }

        if (RequestRateLimit is { RequestsPerSecond: < 1 } or { Burst: < 1 })
        {
            throw new ArgumentException($"{nameof(RequestRateLimit)} needs at least 1 request per second and a burst of at least 1", nameof(RequestRateLimit));
        }

        if (MaxUdpFlows < 1)
        {
            throw new ArgumentException($"{nameof(MaxUdpFlows)} must be at least 1", nameof(MaxUdpFlows));
        }

        if (SendQueueLimit < 1)
        {
            throw new ArgumentException($"{nameof(SendQueueLimit)} must be at least 1", nameof(SendQueueLimit));
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        // Timeouts are cancellation timers, which cannot be set beyond about 49 days (2^32 - 2 ms).
        if (value <= TimeSpan.Zero || value > MaxTimeout)
        {
            throw new ArgumentException($"{name} must be positive and at most {MaxTimeout.TotalDays} days", name);
        }
    }
}

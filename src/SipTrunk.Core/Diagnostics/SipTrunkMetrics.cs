namespace SipTrunk.Core.Diagnostics;

/// <summary>
/// The process's counters (CONTRACT.md §4 names). One instance per host, injected; the admin endpoint exports it.
/// </summary>
public sealed class SipTrunkMetrics
{
    /// <summary>Refused TLS handshakes by <see cref="Transport.HandshakeFailureReason"/> (lower-case with dashes).</summary>
    public LabeledCounter TlsHandshakeFailures { get; } = new("siptrunk_tls_handshake_failures_total", "reason", "TLS handshakes refused, by reason.");

    /// <summary>Connections closed or refused by the transport, by reason (per-ip-limit, idle, partial-message, …).</summary>
    public LabeledCounter ConnectionsClosed { get; } = new("siptrunk_connections_closed_total", "reason", "Connections refused or closed by SipTrunk, by reason.");

    /// <summary>SIP requests received (retransmissions excluded), by method.</summary>
    public LabeledCounter SipRequests { get; } = new("siptrunk_sip_requests_total", "method", "SIP requests received, by method.");

    /// <summary>Messages refused as malformed (answered 400 or dropped), by transport.</summary>
    public LabeledCounter MalformedMessages { get; } = new("siptrunk_sip_malformed_total", "transport", "Malformed SIP messages, by transport.");

    /// <summary>Requests refused by the proxy before routing, by reason (unknown-source, forbidden, loop, …).</summary>
    public LabeledCounter RequestsRefused { get; } = new("siptrunk_requests_refused_total", "reason", "Requests refused before routing, by reason.");

    /// <summary>Requests refused by the per-source rate limit (<c>Limits:RequestsPerSecondPerIp</c>) before any other work, by transport.</summary>
    public LabeledCounter RequestsRateLimited { get; } = new("siptrunk_requests_rate_limited_total", "transport", "Requests refused by the per-source rate limit, by transport.");

    /// <summary>Bans started, by reason (<c>auth-failures</c>, <c>rate-limit</c>).</summary>
    public LabeledCounter SourcesBanned { get; } = new("siptrunk_sources_banned_total", "reason", "Source addresses banned, by reason.");

    /// <summary>INVITE attempts toward carriers, by outcome (answered, failover, rejected, timeout, transport-error).</summary>
    public LabeledCounter CarrierAttempts { get; } = new("siptrunk_carrier_attempts_total", "outcome", "INVITE attempts toward carriers, by outcome.");

    /// <summary>Media packets relayed, by direction (<c>in</c>: received by SipTrunk, <c>out</c>: sent by it).</summary>
    public LabeledCounter MediaPackets { get; } = new("siptrunk_media_packets_total", "direction", "Media packets relayed, by direction.");

    /// <summary>Media packets dropped, by reason (auth-failed, replayed, malformed, unlatched-source, inactive, no-target).</summary>
    public LabeledCounter MediaPacketsDropped { get; } = new("siptrunk_media_packets_dropped_total", "reason", "Media packets dropped by the relay, by reason.");

    /// <summary>Ended calls' relayed media bytes, by direction relative to the peer (<c>in</c>: from the carrier, <c>out</c>: from the peer).</summary>
    public LabeledCounter MediaCallBytes { get; } = new("siptrunk_media_call_bytes_total", "direction", "Media bytes of ended calls, by direction (in: carrier to peer, out: peer to carrier).");

    /// <summary>Ended calls' lost RTP packets (sequence gaps), by direction relative to the peer.</summary>
    public LabeledCounter MediaPacketsLost { get; } = new("siptrunk_media_packets_lost_total", "direction", "RTP packets lost in ended calls, by direction (in: carrier to peer, out: peer to carrier).");

    /// <summary>Call records by outcome: <c>written</c> to the store, <c>spooled</c> to disk while it was down, <c>replayed</c> from the spool.</summary>
    public LabeledCounter CallRecords { get; } = new("siptrunk_call_records_total", "outcome", "Call records written, spooled while the store was down, and replayed.");
}

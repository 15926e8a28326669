using System.Security.Cryptography.X509Certificates;

namespace SipTrunk.Core.Transport;

/// <summary>
/// Where and how to open an outbound flow (typically toward a carrier). One connection per <see cref="Key"/> is kept and
/// reused for every request (RFC 5923).
/// </summary>
public sealed record OutboundTarget
{
    /// <summary>The reuse key, e.g. the carrier name: <see cref="SipTransportService.ConnectAsync"/> returns the open flow for it.</summary>
    public required string Key { get; init; }

    /// <summary>TLS, TCP or UDP.</summary>
    public required SipTransportKind Transport { get; init; }

    /// <summary>An IP literal (IPv6 with or without brackets) or a DNS name (A/AAAA lookup; RFC 3263 SRV is not done here).</summary>
    public required string Host { get; init; }

    /// <summary>The port to connect to.</summary>
    public required int Port { get; init; }

    /// <summary>SNI and the name the server certificate must prove (RFC 5922 §7); null means <see cref="Host"/>.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>The only CAs that may vouch for the server; null means the operating system's store.</summary>
    public X509Certificate2Collection? TrustedCaCertificates { get; init; }

    /// <summary>When set, the server certificate's SHA-256 (upper-case hex of the DER) must equal it, in addition to the other checks.</summary>
    public string? Sha256Pin { get; init; }

    /// <summary>The name verified against the certificate and sent as SNI.</summary>
    public string EffectiveServerName => TlsServerName ?? Host.Trim('[', ']');
}

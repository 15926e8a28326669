using System.Security.Cryptography.X509Certificates;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Core.Routing;

/// <summary>
/// One upstream carrier as the engine uses it: the host's <c>Carriers[]</c> entry, validated and resolved (CONTRACT.md §3).
/// Immutable; part of the running snapshot.
/// </summary>
public sealed record CarrierDefinition
{
    public required string Name { get; init; }

    /// <summary>The carrier's URI (<c>sips:host:port</c>); its host/port are where SipTrunk connects.</summary>
    public required SipUri Uri { get; init; }

    /// <summary>TLS for <c>sips:</c> or <c>transport=tls</c>; TCP or UDP from <c>transport=</c> otherwise.</summary>
    public required SipTransportKind Transport { get; init; }

    /// <summary>The host to connect to (the URI host: an IP literal or a DNS name).</summary>
    public string Host => Uri.Host;

    /// <summary>The port to connect to (the URI port, else 5061 for TLS and 5060 otherwise).</summary>
    public int Port => Uri.Port ?? (Transport == SipTransportKind.Tls ? 5061 : 5060);

    /// <summary>SNI and the name the carrier's certificate must prove (RFC 5922): <c>TlsServerName</c>, else the URI host.</summary>
    public required string TlsServerName { get; init; }

    /// <summary>The identity an inbound TLS client certificate must carry to be recognised as this carrier.</summary>
    public required string CertificateSubject { get; init; }

    /// <summary>Optional SHA-256 pin of the carrier's certificate: upper-case hex without colons.</summary>
    public string? Sha256Fingerprint { get; init; }

    /// <summary>The CAs that verify the carrier; null means the operating system's store.</summary>
    public X509Certificate2Collection? TrustedCaCertificates { get; init; }

    public int Priority { get; init; } = 1;

    public int Weight { get; init; } = 100;

    /// <summary>Username for answering the carrier's digest challenges; null when no <c>Auth</c> is configured.</summary>
    public string? AuthUsername { get; init; }

    /// <summary>Password for the carrier's digest challenges. Never logged (see <see cref="PrintMembers"/>).</summary>
    public string? AuthPassword { get; init; }

    /// <summary>OPTIONS ping period; <see cref="TimeSpan.Zero"/> disables health checks (the carrier is always up).</summary>
    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromSeconds(30);

    public int FailuresBeforeDown { get; init; } = 3;

    public int MaxConcurrentCalls { get; init; } = 500;

    /// <summary><c>Carriers[].Srtp</c>: what SipTrunk offers this carrier (SRTP, best-effort SRTP, or plain RTP it bridges).</summary>
    public Media.LegSrtpPolicy Srtp { get; init; } = Media.LegSrtpPolicy.Require;

    // Records print every property; the password must never reach a log line (CONTRACT.md §6).
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name).Append(", Uri = ").Append(Uri).Append(", Priority = ").Append(Priority)
            .Append(", Weight = ").Append(Weight).Append(", AuthUsername = ").Append(AuthUsername)
            .Append(", AuthPassword = ").Append(AuthPassword is null ? "" : "***");
        return true;
    }
}

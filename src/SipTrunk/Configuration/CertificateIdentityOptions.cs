namespace SipTrunk.Configuration;

/// <summary>
/// <c>Peers[].Certificate</c> / <c>Carriers[].Certificate</c>: the identity a TLS certificate must carry
/// (SAN DNS/URI, else CN) and an optional SHA-256 pin of the certificate.
/// </summary>
internal sealed record CertificateIdentityOptions
{
    public string? Subject { get; init; }

    /// <summary>64 hex digits, colons allowed; <see langword="null"/> when not pinned.</summary>
    public string? Sha256Fingerprint { get; init; }
}

using System.Net.Security;
using System.Security.Authentication;

namespace SipTrunk.Core.Transport;

/// <summary>What a finished TLS handshake established: recorded in CDRs and used to identify peers and carriers.</summary>
/// <param name="Protocol">The negotiated protocol (Tls12 or Tls13).</param>
/// <param name="CipherSuite">The negotiated cipher suite.</param>
/// <param name="PeerCertificateSubject">The remote certificate's subject distinguished name, or null without one.</param>
/// <param name="PeerIdentities">
/// The names the remote certificate proves, in matching order: SAN DNS names, SAN URIs, then the CN only when the
/// certificate has no DNS/URI SANs (CONTRACT.md §3).
/// </param>
/// <param name="PeerCertificateSha256">Upper-case hex SHA-256 of the remote certificate (DER), or null without one.</param>
public sealed record TlsSessionInfo(
    SslProtocols Protocol,
    TlsCipherSuite CipherSuite,
    string? PeerCertificateSubject,
    IReadOnlyList<string> PeerIdentities,
    string? PeerCertificateSha256);

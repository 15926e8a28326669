using System.Net.Security;

namespace SipTrunk.Core.Transport;

/// <summary>The outcome of one TLS handshake: an authenticated stream and its session, or why it was refused.</summary>
/// <param name="Stream">The TLS stream; on failure the caller disposes it (after counting, so the peer sees the close last).</param>
/// <param name="Session">The session, on success.</param>
/// <param name="Failure">Why the handshake was refused; null on success.</param>
/// <param name="Detail">A human-readable explanation for logs and exceptions.</param>
/// <param name="PeerSubject">The subject DN of the certificate the peer presented, if any (the only certificate detail logged).</param>
internal sealed record TlsHandshakeResult(
    SslStream Stream,
    TlsSessionInfo? Session,
    HandshakeFailureReason? Failure,
    string? Detail,
    string? PeerSubject);

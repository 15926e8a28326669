namespace SipTrunk.Core.Cdr;

/// <summary>One TLS leg: protocol (e.g. <c>Tls13</c>), cipher suite (IANA name) and the peer certificate's subject.</summary>
public sealed record CallRecordTlsLeg(string Protocol, string CipherSuite, string? PeerCertificateSubject);

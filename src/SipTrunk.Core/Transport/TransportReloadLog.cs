using Microsoft.Extensions.Logging;

namespace SipTrunk.Core.Transport;

/// <summary>The transport's log lines about reloaded TLS material (event ids 2100–2119).</summary>
internal static partial class TransportReloadLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information,
        Message = "TLS: new handshakes now present {Subject} (SHA-256 {Fingerprint}), trust {CaCount} CA(s) and {CrlCount} revocation list(s); established connections keep theirs")]
    public static partial void TlsUpdated(this ILogger logger, string subject, string fingerprint, int caCount, int crlCount);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information,
        Message = "TLS session resumption is inactive: .NET resumes sessions only without a cipher suite policy, which Tls:CipherSuites needs, as does TLS 1.2 when OPENSSL_CONF names another OpenSSL configuration than SipTrunk's (set Tls:MinProtocol to Tls13, or leave Tls:CipherSuites empty and OPENSSL_CONF unset)")]
    public static partial void ResumptionInactive(this ILogger logger);
}

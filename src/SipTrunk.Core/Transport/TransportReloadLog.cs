using Microsoft.Extensions.Logging;

namespace SipTrunk.Core.Transport;

/// <summary>The transport's log lines about reloaded TLS material (event ids 2100–2119).</summary>
internal static partial class TransportReloadLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information,
        Message = "TLS: new handshakes now present {Subject} (SHA-256 {Fingerprint}), trust {CaCount} CA(s) and {CrlCount} revocation list(s); established connections keep theirs")]
    public static partial void TlsUpdated(this ILogger logger, string subject, string fingerprint, int caCount, int crlCount);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information,
        Message = "TLS session resumption is inactive while TLS 1.2 is allowed or cipher suites are configured: .NET resumes sessions only without a cipher suite policy, and TLS 1.2 needs one to stay AEAD-only (set Tls:MinProtocol to Tls13 for resumption)")]
    public static partial void ResumptionInactive(this ILogger logger);
}

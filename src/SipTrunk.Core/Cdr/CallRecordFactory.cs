using SipTrunk.Core.Proxy;
using SipTrunk.Core.Transport;

namespace SipTrunk.Core.Cdr;

/// <summary>Turns the proxy's <see cref="CallSummary"/> into the stored <see cref="CallRecord"/> (CONTRACT.md §5).</summary>
public static class CallRecordFactory
{
    /// <summary>A record with a fresh time-ordered id.</summary>
    public static CallRecord Create(CallSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new CallRecord
        {
            Id = Guid.CreateVersion7(summary.StartedAt).ToString("N"),
            CallId = summary.CallId,
            Direction = summary.Direction,
            Peer = summary.Peer,
            Carrier = summary.Carrier,
            From = summary.From,
            To = summary.To,
            RequestUri = summary.RequestUri,
            SourceAddress = summary.SourceAddress,
            StartedAt = summary.StartedAt.ToUniversalTime(),
            RingingAt = summary.RingingAt?.ToUniversalTime(),
            AnsweredAt = summary.AnsweredAt?.ToUniversalTime(),
            EndedAt = summary.EndedAt.ToUniversalTime(),
            DurationSeconds = summary.AnsweredAt is { } answered ? Math.Round(Math.Max(0, (summary.EndedAt - answered).TotalSeconds), 3) : null,
            Status = summary.Status,
            SipCode = summary.SipCode,
            SipReason = summary.SipReason,
            EndedBy = summary.EndedBy,
            EndReason = summary.EndReason,
            Attempts = [.. summary.Attempts.Select(a => new CallRecordAttempt(a.Carrier, a.StartedAt.ToUniversalTime(), a.SipCode, a.Reason))],
            Tls = summary.InboundTls is null && summary.OutboundTls is null ? null : new CallRecordTls(Leg(summary.InboundTls), Leg(summary.OutboundTls)),
            Media = summary.Media,
        };
    }

    private static CallRecordTlsLeg? Leg(TlsSessionInfo? tls) =>
        tls is null ? null : new CallRecordTlsLeg(tls.Protocol.ToString(), tls.CipherSuite.ToString(), tls.PeerCertificateSubject);
}

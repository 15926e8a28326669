using SipTrunk.Core.Media;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// What both call directions record while a call runs — when it started, rang and was answered, its attempts and
/// final response — and the <see cref="CallSummary"/> they report when it ends. Used under the call's own lock.
/// </summary>
internal sealed class CallProgress(SipRequest invite, SipFlow arrival, DateTimeOffset startedAt)
{
    public DateTimeOffset StartedAt { get; } = startedAt;

    public DateTimeOffset? RingingAt { get; private set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    public int FinalCode { get; set; }

    public string? FinalReason { get; set; }

    public List<CallAttempt> Attempts { get; } = [];

    /// <summary>A provisional response went upstream: 180 and 183 mark when the call started ringing.</summary>
    public void OnProvisional(int code, DateTimeOffset now)
    {
        if (code is 180 or 183)
        {
            RingingAt ??= now;
        }
    }

    /// <summary>
    /// What is known as the call starts (<see cref="ICallObserver.OnCallStarted(CallSummary)"/>): were it never to
    /// end, it failed at its start.
    /// </summary>
    public CallSummary Opened(string direction, string peer, string? carrier) =>
        Summarize(direction, peer, carrier, null, null, StartedAt, CallStatus.Failed, "proxy", "");

    /// <summary>The record of the call as it ends now.</summary>
    public CallSummary Summarize(
        string direction, string peer, string? carrier, TlsSessionInfo? outboundTls, MediaCallStats? media,
        DateTimeOffset endedAt, string status, string endedBy, string reason) => new()
        {
            CallId = invite.CallId ?? "",
            Direction = direction,
            Peer = peer,
            Carrier = carrier,
            From = invite.From?.Uri.ToString(),
            To = invite.To?.Uri.ToString(),
            RequestUri = invite.RequestUriText,
            SourceAddress = arrival.RemoteEndPoint.ToString(),
            StartedAt = StartedAt,
            RingingAt = RingingAt,
            AnsweredAt = AnsweredAt,
            EndedAt = endedAt,
            Status = status,
            SipCode = FinalCode,
            SipReason = FinalReason,
            EndedBy = endedBy,
            EndReason = reason,
            Attempts = [.. Attempts],
            InboundTls = arrival.Tls,
            OutboundTls = outboundTls,
            Media = media,
        };
}

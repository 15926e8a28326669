using SipTrunk.Core.Transactions;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// Records a new INVITE that SipTrunk refused itself, before trying any carrier or contact, as a call (CONTRACT.md §5
/// <c>status</c> <c>rejected</c>, ended by <c>proxy</c>): an operator looking for a call that "never went through" finds
/// it and why (<c>acl</c>, <c>auth-failed</c>, <c>banned</c>, <c>rate-limit</c>, <c>no-route</c>, …). Only requests of
/// identified peers and carriers count; a first digest challenge is not a refusal (the caller answers it with a new
/// INVITE), but a challenge of credentials that failed is.
/// </summary>
internal static class RejectedCalls
{
    /// <summary>
    /// Reports the refusal through <see cref="SipProxy.Calls"/> (<see cref="ICallObserver.OnCallRejected"/>: active-call
    /// counts are unchanged); requests other than a dialog-creating INVITE are ignored.
    /// </summary>
    public static void Report(SipProxy proxy, ServerTransaction transaction, string direction, string? peer, string? carrier, int sipCode, string sipReason, string endReason)
    {
        var request = transaction.Request;
        if (request.Method != SipMethod.Invite || request.To?.Tag is not null)
        {
            return;
        }

        var now = proxy.Time.GetUtcNow();
        var summary = new CallSummary
        {
            CallId = request.CallId ?? "",
            Direction = direction,
            Peer = peer,
            Carrier = carrier,
            From = request.From?.Uri.ToString(),
            To = request.To?.Uri.ToString(),
            RequestUri = request.RequestUriText,
            SourceAddress = transaction.Flow.RemoteEndPoint.ToString(),
            StartedAt = now,
            EndedAt = now,
            Status = CallStatus.Rejected,
            SipCode = sipCode,
            SipReason = sipReason,
            EndedBy = "proxy",
            EndReason = endReason,
            InboundTls = transaction.Flow.Tls,
        };
        proxy.Calls.OnCallRejected(summary);
    }

    /// <summary>Reports a refusal of a request from <paramref name="source"/>: a peer's calls are outbound, a carrier's inbound.</summary>
    public static void Report(SipProxy proxy, ServerTransaction transaction, RequestSource source, int sipCode, string sipReason, string endReason) =>
        Report(proxy, transaction, source.Kind == RequestSourceKind.Carrier ? "inbound" : "outbound", source.Peer?.Name, source.Carrier?.Name, sipCode, sipReason, endReason);
}

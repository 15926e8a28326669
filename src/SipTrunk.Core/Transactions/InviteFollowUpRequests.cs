using System.Globalization;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Transactions;

/// <summary>
/// Builds the two requests a client INVITE transaction derives from the INVITE it sent: the ACK for a non-2xx final
/// response (RFC 3261 §17.1.1.3) and the CANCEL (§9.1). Both reuse the INVITE's top Via, so they carry its branch.
/// </summary>
internal static class InviteFollowUpRequests
{
    // Neither RFC section prescribes a value; 70 is the §8.1.1.6 default for a fresh request.
    private const string MaxForwards = "70";

    /// <summary>
    /// RFC 3261 §17.1.1.3: Request-URI, Call-ID, From and the top Via of the INVITE, CSeq with the INVITE's number and
    /// method ACK, To from the response (it carries the tag), the INVITE's Route headers, no body.
    /// </summary>
    public static byte[] CreateAck(SipRequest invite, SipResponse response)
    {
        var to = response.TryGetFirstValue(HeaderId.To, out var value) ? value.ToString() : null;
        return Create(invite, SipMethods.Ack, to);
    }

    /// <summary>
    /// RFC 3261 §9.1: Request-URI, Call-ID, From, To and the top Via of the INVITE, CSeq with the INVITE's number and
    /// method CANCEL, the INVITE's Route headers, no body.
    /// </summary>
    public static byte[] CreateCancel(SipRequest invite, string? userAgent = null)
    {
        var to = invite.TryGetFirstValue(HeaderId.To, out var value) ? value.ToString() : null;
        return Create(invite, SipMethods.Cancel, to, userAgent);
    }

    private static byte[] Create(SipRequest invite, string method, string? to, string? userAgent = null)
    {
        var builder = SipMessageBuilder.Request(method, invite.RequestUriText);
        if (invite.TryGetFirstValue(HeaderId.Via, out var via))
        {
            // Only the top via-parm: the INVITE's first Via line may hold a comma-separated list.
            builder.Add(HeaderId.Via, Unfold(via.ToString()));
        }

        foreach (var route in invite.GetValues(HeaderId.Route))
        {
            builder.Add(HeaderId.Route, Unfold(route.ToString()));
        }

        builder.Add(HeaderId.MaxForwards, MaxForwards);
        AddIfPresent(builder, HeaderId.From, invite.GetFirstValueString(HeaderId.From));
        AddIfPresent(builder, HeaderId.To, to);
        AddIfPresent(builder, HeaderId.CallId, invite.CallId);
        if (invite.CSeq is { } cseq)
        {
            builder.Add(HeaderId.CSeq, cseq.Sequence.ToString(CultureInfo.InvariantCulture) + " " + method);
        }

        if (!string.IsNullOrEmpty(userAgent))
        {
            builder.Add(HeaderId.UserAgent, userAgent);
        }

        return builder.ToArray();
    }

    private static void AddIfPresent(SipMessageBuilder builder, HeaderId id, string? value)
    {
        if (value is not null)
        {
            builder.Add(id, Unfold(value));
        }
    }

    /// <summary>
    /// Header values read from the wire may be folded (RFC 3261 §7.3.1). A line written from text must not contain CR
    /// or LF; replacing each by a space keeps the meaning, since any run of linear white space equals one space.
    /// </summary>
    internal static string Unfold(string value) =>
        value.AsSpan().IndexOfAny('\r', '\n') < 0 ? value : value.Replace('\r', ' ').Replace('\n', ' ');
}

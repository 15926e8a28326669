using SipTrunk.Sip.Headers;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Sip.Messages;

/// <summary>
/// Checks what every SIP element must check before acting on a message (RFC 3261 §8.2.1–8.2.2, §16.3 step 1,
/// §18.1.2): the version, the Request-URI, the mandatory headers and the syntax of the headers SipTrunk acts
/// on. Headers SipTrunk only forwards (Date, Accept, …) are not judged: a proxy passes them on untouched.
/// Policy checks (Max-Forwards exhausted, loops, Proxy-Require, authentication) belong to the proxy core.
/// </summary>
public static class SipMessageValidator
{
    private static readonly HeaderId[] SingleHeaders =
        [HeaderId.CallId, HeaderId.CSeq, HeaderId.From, HeaderId.To, HeaderId.MaxForwards, HeaderId.ContentType, HeaderId.Expires];

    /// <summary>Validates a request; an invalid one is answered with the returned code (RFC 3261 §8.2, §21.4).</summary>
    public static SipValidation ValidateRequest(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsSip20(request.Version))
        {
            return new SipValidation(505, "Version Not Supported");
        }

        switch (request.RequestUri)
        {
            case null:
                return SipValidation.BadRequest($"Malformed Request-URI: {request.RequestUriError}");
            case SipUri { Headers.Count: > 0 }:
                // RFC 3261 §19.1.1, table 1: headers are not allowed in a Request-URI.
                return SipValidation.BadRequest("Request-URI must not contain headers");
            case SipUri or TelUri:
                break;
            default:
                return new SipValidation(416, "Unsupported URI Scheme");
        }

        return ValidateCommon(request, request.MethodName) is { } reason ? SipValidation.BadRequest(reason) : ValidateRequestHeaders(request);
    }

    /// <summary>Validates a response; returns why it must be dropped (RFC 3261 §18.1.2), or null if it is usable.</summary>
    public static string? ValidateResponse(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return IsSip20(response.Version) ? ValidateCommon(response, method: null) : "Version Not Supported";
    }

    private static string? ValidateCommon(SipMessage message, string? method)
    {
        foreach (var id in SingleHeaders)
        {
            if (message.CountLines(id) > 1)
            {
                return $"Multiple {KnownHeaders.Get(id).Name} headers";
            }
        }

        foreach (var id in (ReadOnlySpan<HeaderId>)[HeaderId.Via, HeaderId.From, HeaderId.To, HeaderId.CallId, HeaderId.CSeq])
        {
            if (!message.TryGetFirstValue(id, out _))
            {
                return $"Missing {KnownHeaders.Get(id).Name} header";
            }
        }

        // The topmost Via, From, To and CSeq are the message's cached views: the proxy reads them next.
        if (message.Via is null)
        {
            return $"Malformed Via: {message.GetViewError(HeaderId.Via)}";
        }

        var vias = message.GetValues(HeaderId.Via);
        vias.MoveNext();
        while (vias.MoveNext())
        {
            if (!ViaHeader.TryParse(vias.Current.ToString(), out _, out var error))
            {
                return $"Malformed Via: {error}";
            }
        }

        if (message.From is null)
        {
            return $"Malformed From: {message.GetViewError(HeaderId.From)}";
        }

        if (message.To is null)
        {
            return $"Malformed To: {message.GetViewError(HeaderId.To)}";
        }

        if (message.CSeq is not { } cseq)
        {
            return $"Malformed CSeq: {message.GetViewError(HeaderId.CSeq)}";
        }

        // RFC 3261 §8.1.1.5 / §12.2.1.1: the CSeq method matches the request method (ACK and CANCEL included).
        if (method is not null && !string.Equals(cseq.Method, method, StringComparison.Ordinal))
        {
            return "CSeq method does not match the request method";
        }

        if (message.Contains(HeaderId.MaxForwards) && message.MaxForwards is null)
        {
            return "Malformed Max-Forwards";
        }

        return null;
    }

    private static SipValidation ValidateRequestHeaders(SipRequest request)
    {
        foreach (var value in request.GetValues(HeaderId.Contact))
        {
            if (!ContactValue.TryParse(value.ToString(), out _, out var error))
            {
                return SipValidation.BadRequest($"Malformed Contact: {error}");
            }
        }

        foreach (var id in (ReadOnlySpan<HeaderId>)[HeaderId.Route, HeaderId.RecordRoute])
        {
            foreach (var value in request.GetValues(id))
            {
                if (!NameAddress.TryParse(value.ToString(), out _, out var error))
                {
                    return SipValidation.BadRequest($"Malformed {KnownHeaders.Get(id).Name}: {error}");
                }
            }
        }

        if (request.TryGetFirstValue(HeaderId.Expires, out var expires) && !SipSyntax.TryParseDecimal(expires.Span, out _))
        {
            return SipValidation.BadRequest("Malformed Expires");
        }

        return SipValidation.Valid;
    }

    private static bool IsSip20(ReadOnlySpan<byte> version) => System.Text.Ascii.EqualsIgnoreCase(version, "SIP/2.0"u8);
}

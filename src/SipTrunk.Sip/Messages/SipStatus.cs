namespace SipTrunk.Sip.Messages;

/// <summary>Status codes SipTrunk sends or reasons about, with their RFC reason phrases.</summary>
public static class SipStatus
{
    /// <summary>The reason phrase RFC 3261 §21 (and later RFCs) give for <paramref name="statusCode"/>.</summary>
    public static string GetReasonPhrase(int statusCode) => statusCode switch
    {
        100 => "Trying",
        180 => "Ringing",
        181 => "Call Is Being Forwarded",
        182 => "Queued",
        183 => "Session Progress",
        200 => "OK",
        202 => "Accepted",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Moved Temporarily",
        305 => "Use Proxy",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        410 => "Gone",
        413 => "Request Entity Too Large",
        414 => "Request-URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Unsupported URI Scheme",
        420 => "Bad Extension",
        421 => "Extension Required",
        423 => "Interval Too Brief",
        429 => "Too Many Requests",
        480 => "Temporarily Unavailable",
        481 => "Call/Transaction Does Not Exist",
        482 => "Loop Detected",
        483 => "Too Many Hops",
        484 => "Address Incomplete",
        485 => "Ambiguous",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        491 => "Request Pending",
        493 => "Undecipherable",
        500 => "Server Internal Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Server Time-out",
        505 => "Version Not Supported",
        513 => "Message Too Large",
        600 => "Busy Everywhere",
        603 => "Decline",
        604 => "Does Not Exist Anywhere",
        606 => "Not Acceptable",
        _ => statusCode switch
        {
            < 200 => "Session Progress",
            < 300 => "OK",
            < 400 => "Redirection",
            < 500 => "Client Error",
            < 600 => "Server Error",
            _ => "Global Failure",
        },
    };

    /// <summary>Makes text safe for a reason phrase: no control characters (no header injection), bounded length.</summary>
    public static string Sanitize(string reasonPhrase)
    {
        ArgumentNullException.ThrowIfNull(reasonPhrase);
        const int MaxLength = 128;
        Span<char> buffer = stackalloc char[Math.Min(reasonPhrase.Length, MaxLength)];
        var length = 0;
        foreach (var c in reasonPhrase)
        {
            if (length == buffer.Length)
            {
                break;
            }

            buffer[length++] = char.IsControl(c) ? ' ' : c;
        }

        return new string(buffer[..length]).Trim();
    }
}

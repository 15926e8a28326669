using System.Security.Cryptography;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Transport;

/// <summary>The 503 a connection over its request rate gets, at most once per second (<see cref="RateDecision.Answer"/>).</summary>
internal static class RateLimitResponse
{
    // The bucket gains a token in 1/RequestsPerSecond s; one second is the shortest Retry-After (RFC 3261 §20.33).
    private const string RetryAfterSeconds = "1";

    /// <summary>
    /// <c>503 Service Unavailable</c> with Retry-After for a request frame, or null when it does not parse, is an ACK
    /// (never answered, §17.1.1.3) or has no Via to answer along. The reason is the standard phrase only.
    /// </summary>
    public static byte[]? TryCreate(byte[] frame, SipLimits limits, string? userAgent)
    {
        var parsed = SipParser.Parse(frame, limits);
        if (!parsed.Success || parsed.Message is not SipRequest request || request.Method == SipMethod.Ack || request.Via is null)
        {
            return null;
        }

        var builder = SipResponses.Create(request, 503, "Service Unavailable", RandomNumberGenerator.GetHexString(12, lowercase: true))
            .Add(HeaderId.RetryAfter, RetryAfterSeconds);
        if (!string.IsNullOrEmpty(userAgent))
        {
            builder.Add(HeaderId.Server, userAgent);
        }

        return builder.ToArray();
    }
}

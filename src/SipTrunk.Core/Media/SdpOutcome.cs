namespace SipTrunk.Core.Media;

/// <summary>The result of anchoring one SDP body: the body to forward, or a refusal (status code and reason).</summary>
public readonly record struct SdpOutcome
{
    private SdpOutcome(byte[]? body, int statusCode, string? reason)
    {
        Body = body;
        StatusCode = statusCode;
        Reason = reason;
    }

    /// <summary>The rewritten body (when not refused).</summary>
    public byte[]? Body { get; }

    /// <summary>0 when accepted; else the SIP status to answer (488, or 503 when the port range is exhausted).</summary>
    public int StatusCode { get; }

    /// <summary>Why it was refused (safe to log and to put in a Warning header: never key material).</summary>
    public string? Reason { get; }

    /// <summary>Whether the body was refused.</summary>
    public bool IsRefused => StatusCode != 0;

    /// <summary>An accepted, rewritten body.</summary>
    public static SdpOutcome Accepted(byte[] body) => new(body, 0, null);

    /// <summary>A refusal.</summary>
    public static SdpOutcome Refused(int statusCode, string reason) => new(null, statusCode, reason);
}

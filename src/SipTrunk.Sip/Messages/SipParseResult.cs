using System.Diagnostics.CodeAnalysis;

namespace SipTrunk.Sip.Messages;

/// <summary>The outcome of <c>SipParser.Parse</c>: a message, or the reason it is malformed.</summary>
public readonly struct SipParseResult
{
    private SipParseResult(SipMessage? message, string? error)
    {
        Message = message;
        Error = error;
    }

    /// <summary>The parsed message; null when parsing failed.</summary>
    public SipMessage? Message { get; }

    /// <summary>Why the input is not a SIP message (safe to put in a 400 reason phrase); null on success.</summary>
    public string? Error { get; }

    [MemberNotNullWhen(true, nameof(Message))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Success => Error is null;

    internal static SipParseResult Ok(SipMessage message) => new(message, null);

    internal static SipParseResult Fail(string error) => new(null, error);
}

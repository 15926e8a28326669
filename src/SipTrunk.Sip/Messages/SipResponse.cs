using System.Text;

namespace SipTrunk.Sip.Messages;

/// <summary>A parsed SIP response: <c>SIP-Version SP Status-Code SP Reason-Phrase</c> (RFC 3261 §7.2).</summary>
public sealed class SipResponse : SipMessage
{
    private readonly int _reasonStart;
    private string? _reasonPhrase;

    internal SipResponse(
        ReadOnlyMemory<byte> buffer,
        int startLineLength,
        int statusCode,
        int reasonStart,
        HeaderField[] headers,
        int bodyStart,
        int bodyLength,
        int? contentLength)
        : base(buffer, startLineLength, headers, bodyStart, bodyLength, contentLength)
    {
        StatusCode = statusCode;
        _reasonStart = reasonStart;
    }

    /// <inheritdoc/>
    public override bool IsRequest => false;

    /// <summary>The three-digit status code.</summary>
    public int StatusCode { get; }

    /// <summary>The reason phrase (may be empty; UTF-8 per RFC 3261 §25.1).</summary>
    public string ReasonPhrase => _reasonPhrase ??= Encoding.UTF8.GetString(StartLine[_reasonStart..]);

    /// <summary>The SIP-Version token of the start line.</summary>
    public ReadOnlySpan<byte> Version => StartLine[..StartLine.IndexOf((byte)' ')];
}

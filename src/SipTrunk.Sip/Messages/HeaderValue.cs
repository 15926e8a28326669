using System.Text;

namespace SipTrunk.Sip.Messages;

/// <summary>One value of a header: a whole line's value, or one element of a comma-separated list.</summary>
public readonly struct HeaderValue
{
    private readonly ReadOnlyMemory<byte> _buffer;

    internal HeaderValue(ReadOnlyMemory<byte> buffer, int lineIndex, int start, int length)
    {
        _buffer = buffer;
        LineIndex = lineIndex;
        Start = start;
        Length = length;
    }

    /// <summary>Index of the header line this value came from, in <see cref="SipMessage.Headers"/>.</summary>
    public int LineIndex { get; }

    /// <summary>Offset of the value in the message buffer.</summary>
    public int Start { get; }

    /// <summary>Length of the value in bytes.</summary>
    public int Length { get; }

    /// <summary>The value's bytes (trimmed; may contain folding).</summary>
    public ReadOnlySpan<byte> Span => _buffer.Span.Slice(Start, Length);

    /// <summary>
    /// The value as text. Decoding is byte-transparent (ISO-8859-1) so that text written back produces the
    /// same bytes; UTF-8 display names therefore appear as their byte sequence.
    /// </summary>
    public override string ToString() => Encoding.Latin1.GetString(Span);
}

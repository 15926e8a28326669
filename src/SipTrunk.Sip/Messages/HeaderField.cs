namespace SipTrunk.Sip.Messages;

/// <summary>
/// One header line of a parsed message, kept as offsets into the message buffer (lossless, no copies).
/// The value range excludes the leading and trailing whitespace but keeps any folding (CRLF + SP/HT) inside.
/// </summary>
public readonly record struct HeaderField(HeaderId Id, int LineStart, int NameLength, int ValueStart, int ValueLength)
{
    /// <summary>Offset just past the value: the whole line is <c>[LineStart, LineEnd)</c> without its CRLF.</summary>
    public int LineEnd => ValueStart + ValueLength;
}

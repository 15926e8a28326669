using System.Buffers;
using System.Text;
using SipTrunk.Sip.Headers;

namespace SipTrunk.Sip.Messages;

/// <summary>
/// A parsed SIP message (RFC 3261 §7). The message keeps the bytes it was parsed from and refers to its
/// header lines by offset, so forwarding is lossless and parsing allocates little; typed views of
/// individual headers are parsed on first use and cached. Not thread-safe: a message belongs to the
/// one task that handles it. The caller must not reuse the buffer while the message is alive.
/// </summary>
public abstract class SipMessage
{
    private readonly HeaderField[] _headers;
    private string? _callId;
    private ParsedViews _parsed;
    private ViaHeader? _via;
    private NameAddress? _from;
    private NameAddress? _to;
    private CSeqHeader? _cseq;
    private int? _maxForwards;

    [Flags]
    private enum ParsedViews : byte
    {
        None = 0,
        Via = 1,
        From = 2,
        To = 4,
        CSeq = 8,
        MaxForwards = 16,
    }

    private protected SipMessage(ReadOnlyMemory<byte> buffer, int startLineLength, HeaderField[] headers, int bodyStart, int bodyLength, int? contentLength)
    {
        Buffer = buffer;
        StartLineLength = startLineLength;
        _headers = headers;
        BodyStart = bodyStart;
        Body = buffer.Slice(bodyStart, bodyLength);
        DeclaredContentLength = contentLength;
    }

    /// <summary>True for requests, false for responses.</summary>
    public abstract bool IsRequest { get; }

    /// <summary>The bytes the message was parsed from (exactly the message, body included).</summary>
    public ReadOnlyMemory<byte> Buffer { get; }

    /// <summary>The start line, without its CRLF.</summary>
    public ReadOnlySpan<byte> StartLine => Buffer.Span[..StartLineLength];

    /// <summary>The message body (possibly empty), bounded by Content-Length.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The Content-Length value the message declared, or null if it had none.</summary>
    public int? DeclaredContentLength { get; }

    /// <summary>The header lines, in order.</summary>
    public ReadOnlySpan<HeaderField> Headers => _headers;

    /// <summary>The Call-ID (header values are decoded byte-transparently as ISO-8859-1).</summary>
    public string? CallId => _callId ??= GetFirstValueString(HeaderId.CallId);

    /// <summary>The topmost Via value, parsed on first use; null if absent or malformed.</summary>
    public ViaHeader? Via => Parse(ParsedViews.Via, ref _via, HeaderId.Via, static (string v, out ViaHeader? r) => ViaHeader.TryParse(v, out r, out _));

    /// <summary>The From value, parsed on first use; null if absent or malformed.</summary>
    public NameAddress? From => Parse(ParsedViews.From, ref _from, HeaderId.From, static (string v, out NameAddress? r) => NameAddress.TryParse(v, out r, out _));

    /// <summary>The To value, parsed on first use; null if absent or malformed.</summary>
    public NameAddress? To => Parse(ParsedViews.To, ref _to, HeaderId.To, static (string v, out NameAddress? r) => NameAddress.TryParse(v, out r, out _));

    /// <summary>The CSeq value, parsed on first use; null if absent or malformed.</summary>
    public CSeqHeader? CSeq => Parse(ParsedViews.CSeq, ref _cseq, HeaderId.CSeq, static (string v, out CSeqHeader? r) => CSeqHeader.TryParse(v, out r, out _));

    /// <summary>Max-Forwards (0–255), parsed on first use; null if absent or malformed.</summary>
    public int? MaxForwards
    {
        get
        {
            if ((_parsed & ParsedViews.MaxForwards) == 0)
            {
                _parsed |= ParsedViews.MaxForwards;
                _maxForwards = TryGetFirstValue(HeaderId.MaxForwards, out var value) && SipSyntax.TryParseDecimal(value.Span, out var hops) && hops <= 255
                    ? hops
                    : null;
            }

            return _maxForwards;
        }
    }

    internal int StartLineLength { get; }

    internal int BodyStart { get; }

    /// <summary>The name bytes of <paramref name="field"/> as they appeared on the wire.</summary>
    public ReadOnlySpan<byte> GetName(in HeaderField field) => Buffer.Span.Slice(field.LineStart, field.NameLength);

    /// <summary>The value bytes of <paramref name="field"/> (trimmed, folding kept).</summary>
    public ReadOnlySpan<byte> GetValue(in HeaderField field) => Buffer.Span.Slice(field.ValueStart, field.ValueLength);

    /// <summary>True if at least one line of header <paramref name="id"/> is present.</summary>
    public bool Contains(HeaderId id) => IndexOf(id) >= 0;

    /// <summary>The number of lines of header <paramref name="id"/>.</summary>
    public int CountLines(HeaderId id)
    {
        var count = 0;
        foreach (ref readonly var field in _headers.AsSpan())
        {
            if (field.Id == id)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Index of the first line of <paramref name="id"/>, or -1.</summary>
    public int IndexOf(HeaderId id)
    {
        var headers = _headers;
        for (var i = 0; i < headers.Length; i++)
        {
            if (headers[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Every value of a header: across all its lines and, for list headers (RFC 3261 §7.3.1), each
    /// comma-separated element of a line, in order.
    /// </summary>
    public HeaderValueEnumerator GetValues(HeaderId id) => new(this, id, null);

    /// <summary>Every value of a header named <paramref name="name"/> (full or compact form, case-insensitive).</summary>
    public HeaderValueEnumerator GetValues(string name)
    {
        var id = KnownHeaders.Lookup(name.AsSpan());
        return new HeaderValueEnumerator(this, id, id == HeaderId.Unknown ? name : null);
    }

    /// <summary>The first value of header <paramref name="id"/>, or false if absent.</summary>
    public bool TryGetFirstValue(HeaderId id, out HeaderValue value)
    {
        var values = GetValues(id);
        if (values.MoveNext())
        {
            value = values.Current;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>The first value of header <paramref name="id"/> as text, or null if absent.</summary>
    public string? GetFirstValueString(HeaderId id) => TryGetFirstValue(id, out var value) ? value.ToString() : null;

    /// <summary>Writes the message exactly as it was received.</summary>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Buffer.Span);
    }

    private T? Parse<T>(ParsedViews flag, ref T? field, HeaderId id, TryParseView<T> tryParse)
        where T : class
    {
        if ((_parsed & flag) == 0)
        {
            _parsed |= flag;
            field = TryGetFirstValue(id, out var value) && tryParse(value.ToString(), out var parsed) ? parsed : null;
        }

        return field;
    }

    private delegate bool TryParseView<T>(string value, out T? result);

    /// <summary>The whole message as text, for diagnostics. Bodies may hold secrets: do not log this.</summary>
    public override string ToString() => Encoding.Latin1.GetString(Buffer.Span);
}

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
    private ParsedView<ViaHeader> _via;
    private ParsedView<NameAddress> _from;
    private ParsedView<NameAddress> _to;
    private ParsedView<CSeqHeader> _cseq;
    private bool _maxForwardsParsed;
    private int? _maxForwards;

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
    public ViaHeader? Via => Parse(ref _via, HeaderId.Via, static (string v, out ViaHeader? r, out string? e) => ViaHeader.TryParse(v, out r, out e));

    /// <summary>The From value, parsed on first use; null if absent or malformed.</summary>
    public NameAddress? From => Parse(ref _from, HeaderId.From, static (string v, out NameAddress? r, out string? e) => NameAddress.TryParse(v, out r, out e));

    /// <summary>The To value, parsed on first use; null if absent or malformed.</summary>
    public NameAddress? To => Parse(ref _to, HeaderId.To, static (string v, out NameAddress? r, out string? e) => NameAddress.TryParse(v, out r, out e));

    /// <summary>The CSeq value, parsed on first use; null if absent or malformed.</summary>
    public CSeqHeader? CSeq => Parse(ref _cseq, HeaderId.CSeq, static (string v, out CSeqHeader? r, out string? e) => CSeqHeader.TryParse(v, out r, out e));

    /// <summary>Max-Forwards (0–255), parsed on first use; null if absent or malformed.</summary>
    public int? MaxForwards
    {
        get
        {
            if (!_maxForwardsParsed)
            {
                _maxForwardsParsed = true;
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

    /// <summary>Why the typed view of <paramref name="id"/> (Via, From, To or CSeq) is null: absent or the parse error.</summary>
    internal string? GetViewError(HeaderId id) => id switch
    {
        HeaderId.Via => Via is null ? _via.Error : null,
        HeaderId.From => From is null ? _from.Error : null,
        HeaderId.To => To is null ? _to.Error : null,
        HeaderId.CSeq => CSeq is null ? _cseq.Error : null,
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "no typed view"),
    };

    private T? Parse<T>(ref ParsedView<T> view, HeaderId id, TryParseView<T> tryParse)
        where T : class
    {
        if (!view.Done)
        {
            view.Done = true;
            if (!TryGetFirstValue(id, out var value))
            {
                view.Error = "missing";
            }
            else if (tryParse(value.ToString(), out var parsed, out var error))
            {
                view.Value = parsed;
            }
            else
            {
                view.Error = error;
            }
        }

        return view.Value;
    }

    private delegate bool TryParseView<T>(string value, out T? result, out string? error);

    /// <summary>A typed header view parsed at most once, with the reason when it failed.</summary>
    private struct ParsedView<T>
        where T : class
    {
        public bool Done;
        public T? Value;
        public string? Error;
    }

    /// <summary>The whole message as text, for diagnostics. Bodies may hold secrets: do not log this.</summary>
    public override string ToString() => Encoding.Latin1.GetString(Buffer.Span);
}

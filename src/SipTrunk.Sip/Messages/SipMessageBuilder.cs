using System.Buffers;
using System.Globalization;
using System.Text;

namespace SipTrunk.Sip.Messages;

/// <summary>
/// Builds an outgoing message, usually from a received one: unchanged header lines are copied from the
/// source byte-for-byte (unknown headers included), edited ones are written from text, and
/// Content-Length is always recomputed from the body. Text is encoded byte-transparently (ISO-8859-1),
/// matching <see cref="HeaderValue.ToString"/>, so values read from a message write back as the same bytes.
/// </summary>
public sealed class SipMessageBuilder
{
    private readonly List<OutgoingHeader> _headers = [];
    private readonly SipMessage? _source;
    private string? _method;
    private string? _requestUri;
    private int _statusCode;
    private string? _reasonPhrase;

    private SipMessageBuilder(SipMessage? source) => _source = source;

    /// <summary>The body; Content-Length is written to match it.</summary>
    public ReadOnlyMemory<byte> Body { get; set; }

    /// <summary>True when building a request.</summary>
    public bool IsRequest => _method is not null || (_statusCode == 0 && _source is { IsRequest: true });

    /// <summary>Starts a new request.</summary>
    public static SipMessageBuilder Request(string method, string requestUri)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(requestUri);
        return new SipMessageBuilder(null) { _method = method, _requestUri = requestUri };
    }

    /// <summary>Starts a new response; the reason phrase defaults to the RFC one.</summary>
    public static SipMessageBuilder Response(int statusCode, string? reasonPhrase = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 699);
        return new SipMessageBuilder(null) { _statusCode = statusCode, _reasonPhrase = SipStatus.Sanitize(reasonPhrase ?? SipStatus.GetReasonPhrase(statusCode)) };
    }

    /// <summary>Starts a response whose header lines may be copied from <paramref name="request"/> with <see cref="AddFromSource"/>.</summary>
    internal static SipMessageBuilder ResponseFor(SipRequest request, int statusCode, string? reasonPhrase)
    {
        var builder = Response(statusCode, reasonPhrase);
        return new SipMessageBuilder(request) { _statusCode = builder._statusCode, _reasonPhrase = builder._reasonPhrase };
    }

    /// <summary>Starts from a received message: same start line, every header line (but Content-Length) and the body.</summary>
    public static SipMessageBuilder From(SipMessage source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var builder = new SipMessageBuilder(source) { Body = source.Body };
        var headers = source.Headers;
        for (var i = 0; i < headers.Length; i++)
        {
            if (headers[i].Id != HeaderId.ContentLength)
            {
                builder._headers.Add(new OutgoingHeader(headers[i].Id, null, null, i));
            }
        }

        return builder;
    }

    /// <summary>Copies line <paramref name="sourceIndex"/> of the source message byte-for-byte.</summary>
    internal SipMessageBuilder AddFromSource(int sourceIndex)
    {
        _headers.Add(new OutgoingHeader(_source!.Headers[sourceIndex].Id, null, null, sourceIndex));
        return this;
    }

    /// <summary>Replaces the Request-URI (requests only).</summary>
    public SipMessageBuilder SetRequestUri(string requestUri)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestUri);
        if (_method is null)
        {
            if (_source is not SipRequest request)
            {
                throw new InvalidOperationException("Only a request has a Request-URI.");
            }

            _method = request.MethodName;
        }

        _requestUri = requestUri;
        return this;
    }

    /// <summary>Adds a header line before all others (a new topmost Via or Record-Route, RFC 3261 §16.6).</summary>
    public SipMessageBuilder AddFirst(HeaderId id, string value) => Insert(0, id, null, value);

    /// <summary>Adds a header line after all others.</summary>
    public SipMessageBuilder Add(HeaderId id, string value) => Insert(_headers.Count, id, null, value);

    /// <summary>Adds a header line by name (known names map to their <see cref="HeaderId"/>).</summary>
    public SipMessageBuilder Add(string name, string value)
    {
        var id = KnownHeaders.Lookup(name.AsSpan());
        return Insert(_headers.Count, id, id == HeaderId.Unknown ? name : null, value);
    }

    /// <summary>Replaces every line of <paramref name="id"/> by one line with <paramref name="value"/>, at the first one's place.</summary>
    public SipMessageBuilder Set(HeaderId id, string value)
    {
        var index = _headers.FindIndex(h => h.Id == id);
        Remove(id);
        return Insert(index < 0 ? _headers.Count : index, id, null, value);
    }

    /// <summary>Removes every line of <paramref name="id"/>; returns how many were removed.</summary>
    public int Remove(HeaderId id) => _headers.RemoveAll(h => h.Id == id);

    /// <summary>
    /// Removes the first value of a list header: a whole line, or the first element of a comma-separated
    /// line (e.g. the topmost Route, RFC 3261 §16.4). Returns false if there is none.
    /// </summary>
    public bool RemoveFirstValue(HeaderId id)
    {
        var index = _headers.FindIndex(h => h.Id == id);
        if (index < 0)
        {
            return false;
        }

        var header = _headers[index];
        var value = GetValueText(header);
        var separator = HeaderValueEnumerator.FindListSeparator(Encoding.Latin1.GetBytes(value), 0, value.Length);
        var remainder = separator < value.Length ? value[(separator + 1)..].Trim() : string.Empty;
        if (remainder.Length == 0)
        {
            _headers.RemoveAt(index);
        }
        else
        {
            _headers[index] = new OutgoingHeader(id, header.Name ?? GetName(header), remainder, -1);
        }

        return true;
    }

    /// <summary>The value text of the first line of <paramref name="id"/>, or null.</summary>
    public string? GetFirst(HeaderId id)
    {
        var index = _headers.FindIndex(h => h.Id == id);
        return index < 0 ? null : GetValueText(_headers[index]);
    }

    /// <summary>Serializes the message.</summary>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteStartLine(writer);
        var sourceBuffer = _source is null ? default : _source.Buffer.Span;
        foreach (var header in _headers)
        {
            if (header.IsFromSource)
            {
                ref readonly var field = ref _source!.Headers[header.SourceIndex];
                writer.Write(sourceBuffer[field.LineStart..field.LineEnd]);
            }
            else
            {
                WriteText(writer, header.Name ?? KnownHeaders.Get(header.Id).Name);
                writer.Write(": "u8);
                WriteText(writer, header.Value!);
            }

            writer.Write("\r\n"u8);
        }

        writer.Write("Content-Length: "u8);
        WriteText(writer, Body.Length.ToString(CultureInfo.InvariantCulture));
        writer.Write("\r\n\r\n"u8);
        writer.Write(Body.Span);
    }

    /// <summary>Serializes the message into a new array.</summary>
    public byte[] ToArray()
    {
        var writer = new ArrayBufferWriter<byte>(512 + Body.Length);
        WriteTo(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static void WriteText(IBufferWriter<byte> writer, string text)
    {
        var span = writer.GetSpan(text.Length);
        var written = Encoding.Latin1.GetBytes(text, span);
        writer.Advance(written);
    }

    private SipMessageBuilder Insert(int index, HeaderId id, string? name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (id == HeaderId.ContentLength)
        {
            throw new ArgumentException("Content-Length is computed from the body.", nameof(id));
        }

        if (value.AsSpan().ContainsAny('\r', '\n'))
        {
            // A CR/LF from untrusted text would inject headers.
            throw new ArgumentException("Header values must not contain CR or LF.", nameof(value));
        }

        _headers.Insert(index, new OutgoingHeader(id, name, value, -1));
        return this;
    }

    private string GetValueText(OutgoingHeader header)
    {
        if (!header.IsFromSource)
        {
            return header.Value!;
        }

        ref readonly var field = ref _source!.Headers[header.SourceIndex];
        return Encoding.Latin1.GetString(_source.GetValue(field));
    }

    private string GetName(OutgoingHeader header)
    {
        if (header.Id != HeaderId.Unknown)
        {
            return KnownHeaders.Get(header.Id).Name;
        }

        ref readonly var field = ref _source!.Headers[header.SourceIndex];
        return Encoding.Latin1.GetString(_source.GetName(field));
    }

    private void WriteStartLine(IBufferWriter<byte> writer)
    {
        if (_method is not null)
        {
            WriteText(writer, _method);
            writer.Write(" "u8);
            WriteText(writer, _requestUri!);
            writer.Write(" SIP/2.0\r\n"u8);
        }
        else if (_statusCode != 0)
        {
            writer.Write("SIP/2.0 "u8);
            WriteText(writer, _statusCode.ToString(CultureInfo.InvariantCulture));
            writer.Write(" "u8);
            writer.Write(Encoding.UTF8.GetBytes(_reasonPhrase!));
            writer.Write("\r\n"u8);
        }
        else
        {
            writer.Write(_source!.StartLine);
            writer.Write("\r\n"u8);
        }
    }
}

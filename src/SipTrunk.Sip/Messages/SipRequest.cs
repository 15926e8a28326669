using System.Text;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Sip.Messages;

/// <summary>A parsed SIP request: <c>Method SP Request-URI SP SIP-Version</c> (RFC 3261 §7.1).</summary>
public sealed class SipRequest : SipMessage
{
    private readonly int _uriStart;
    private readonly int _uriLength;
    private readonly string? _knownMethodName;
    private string? _methodName;
    private string? _requestUriText;
    private AbsoluteUri? _requestUri;
    private string? _requestUriError;

    internal SipRequest(
        ReadOnlyMemory<byte> buffer,
        int startLineLength,
        SipMethod method,
        string? knownMethodName,
        int methodLength,
        int uriStart,
        int uriLength,
        HeaderField[] headers,
        int bodyStart,
        int bodyLength,
        int? contentLength)
        : base(buffer, startLineLength, headers, bodyStart, bodyLength, contentLength)
    {
        Method = method;
        _knownMethodName = knownMethodName;
        MethodLength = methodLength;
        _uriStart = uriStart;
        _uriLength = uriLength;
    }

    /// <inheritdoc/>
    public override bool IsRequest => true;

    /// <summary>The method, or <see cref="SipMethod.Unknown"/> for an extension method (see <see cref="MethodName"/>).</summary>
    public SipMethod Method { get; }

    /// <summary>The method token exactly as received (case-sensitive, RFC 3261 §7.1).</summary>
    public string MethodName => _knownMethodName ?? (_methodName ??= Encoding.ASCII.GetString(Buffer.Span[..MethodLength]));

    /// <summary>The Request-URI bytes as received.</summary>
    public ReadOnlySpan<byte> RequestUriBytes => Buffer.Span.Slice(_uriStart, _uriLength);

    /// <summary>The Request-URI text as received.</summary>
    public string RequestUriText => _requestUriText ??= Encoding.Latin1.GetString(RequestUriBytes);

    /// <summary>The Request-URI, parsed on first use; null if malformed (see <see cref="RequestUriError"/>).</summary>
    public AbsoluteUri? RequestUri
    {
        get
        {
            if (_requestUri is null && _requestUriError is null && !AbsoluteUri.TryParse(RequestUriText, out _requestUri, out _requestUriError))
            {
                _requestUriError ??= "malformed";
            }

            return _requestUri;
        }
    }

    /// <summary>Why the Request-URI did not parse, or null.</summary>
    public string? RequestUriError => RequestUri is null ? _requestUriError : null;

    /// <summary>The SIP-Version token of the start line (e.g. <c>SIP/2.0</c>).</summary>
    public ReadOnlySpan<byte> Version => StartLine[(_uriStart + _uriLength + 1)..];

    private int MethodLength { get; }
}

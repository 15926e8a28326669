using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace SipTrunk.Sip.Sdp;

/// <summary>
/// One media section: <c>m=&lt;media&gt; &lt;port&gt;[/&lt;number of ports&gt;] &lt;proto&gt; &lt;fmt&gt; ...</c> and the lines after it (RFC 8866 §5.14).
/// The <c>m=</c> line is written verbatim until one of its fields changes; then it is re-formatted with single spaces.
/// </summary>
public sealed class MediaDescription : SdpSection
{
    private const string MediaOrder = "icbka";

    private readonly SdpTokenCollection _formats;
    private string _media;
    private int _port;
    private int? _portCount;
    private string _protocol;
    private string? _rawMediaLine;

    /// <summary>Creates a media section with no lines after <c>m=</c>.</summary>
    public MediaDescription(string media, int port, string protocol, IEnumerable<string> formats, int? portCount = null)
        : base([])
    {
        SdpText.ThrowIfNotToken(media, nameof(media));
        SdpText.ThrowIfNotPort(port, nameof(port));
        SdpText.ThrowIfNotToken(protocol, nameof(protocol));
        ThrowIfBadPortCount(portCount);
        ArgumentNullException.ThrowIfNull(formats);
        _media = media;
        _port = port;
        _portCount = portCount;
        _protocol = protocol;
        _formats = new SdpTokenCollection(formats, MarkMediaLineChanged);
    }

    private MediaDescription(string? rawMediaLine, string media, int port, int? portCount, string protocol, IEnumerable<string> formats, List<SdpLine> lines)
        : base(lines)
    {
        _rawMediaLine = rawMediaLine;
        _media = media;
        _port = port;
        _portCount = portCount;
        _protocol = protocol;
        _formats = new SdpTokenCollection(formats, MarkMediaLineChanged);
    }

    /// <summary>Media type, e.g. <c>audio</c>, <c>video</c>, <c>application</c>.</summary>
    public string Media
    {
        get => _media;
        set
        {
            SdpText.ThrowIfNotToken(value, nameof(value));
            SetField(ref _media, value);
        }
    }

    /// <summary>Transport port; 0 declines the stream (RFC 3264 §6).</summary>
    public int Port
    {
        get => _port;
        set
        {
            SdpText.ThrowIfNotPort(value, nameof(value));
            SetField(ref _port, value);
        }
    }

    /// <summary>The optional <c>/&lt;number of ports&gt;</c>.</summary>
    public int? PortCount
    {
        get => _portCount;
        set
        {
            ThrowIfBadPortCount(value);
            SetField(ref _portCount, value);
        }
    }

    /// <summary>Transport protocol verbatim, e.g. <c>RTP/AVP</c>, <c>RTP/SAVPF</c>, <c>UDP/TLS/RTP/SAVPF</c>.</summary>
    public string Protocol
    {
        get => _protocol;
        set
        {
            SdpText.ThrowIfNotToken(value, nameof(value));
            SetField(ref _protocol, value);
        }
    }

    /// <summary>The format list (RTP payload type numbers for RTP profiles). Edits are validated and re-format the <c>m=</c> line.</summary>
    public IList<string> Formats => _formats;

    /// <summary>Whether the stream is declined/disabled (port 0, RFC 3264 §6).</summary>
    public bool IsDeclined => _port == 0;

    /// <summary>Whether the profile is secure RTP (<c>SAVP</c> or <c>SAVPF</c>, RFC 3711 / RFC 5124), including DTLS-SRTP profiles.</summary>
    public bool IsSecureRtp => HasProtocolPart("SAVP") || HasProtocolPart("SAVPF");

    /// <summary>Whether keys come from DTLS (<c>UDP/TLS/...</c> or <c>TCP/TLS/...</c>, RFC 5764 §8) rather than SDES.</summary>
    public bool IsDtlsSrtp => _protocol.Contains("/TLS/RTP/", StringComparison.OrdinalIgnoreCase);

    /// <summary>The valid <c>a=rtpmap</c> attributes, in order; malformed ones are skipped (but still written back).</summary>
    public IEnumerable<SdpRtpMap> RtpMaps =>
        GetAttributes("rtpmap")
            .Select(attribute => SdpRtpMap.TryParse(attribute.Value, out SdpRtpMap? map) ? map : null)
            .OfType<SdpRtpMap>();

    /// <summary>
    /// The <c>a=rtcp</c> attribute (RFC 3605), or null when absent or malformed. Setting replaces every <c>a=rtcp</c> line —
    /// malformed ones included, so a peer's address cannot survive anchoring — at the first one's place; null removes them.
    /// </summary>
    public SdpRtcp? Rtcp
    {
        get => SdpRtcp.TryParse(GetAttributeValue("rtcp"), out SdpRtcp? rtcp) ? rtcp : null;
        set
        {
            if (value is null)
            {
                RemoveAttributes("rtcp");
            }
            else
            {
                SetAttribute("rtcp", value.ToString());
            }
        }
    }

    /// <summary>Whether <c>a=rtcp-mux</c> is present (RFC 5761 §5.1.1). Setting true adds it if missing; false removes it.</summary>
    public bool RtcpMux
    {
        get => HasAttribute("rtcp-mux");
        set
        {
            if (!value)
            {
                RemoveAttributes("rtcp-mux");
            }
            else if (!RtcpMux)
            {
                AddAttribute("rtcp-mux");
            }
        }
    }

    /// <summary>The well-formed <c>a=crypto</c> attributes (RFC 4568), in order.</summary>
    public IReadOnlyList<SdpCrypto> Crypto =>
        [.. GetAttributes("crypto").Select(attribute => SdpCrypto.TryParse(attribute.Value, out SdpCrypto? crypto, out _) ? crypto : null).OfType<SdpCrypto>()];

    /// <summary>
    /// The <c>a=crypto</c> attributes that do not parse (bad tag, bad base64, wrong key length for a known suite…) with the reason.
    /// They are kept verbatim on the wire; a relay should answer 488 rather than guess (RFC 4568 §7.1.2).
    /// </summary>
    public IReadOnlyList<(SdpAttribute Attribute, string Error)> InvalidCrypto
    {
        get
        {
            var invalid = new List<(SdpAttribute, string)>();
            foreach (SdpAttribute attribute in GetAttributes("crypto"))
            {
                if (!SdpCrypto.TryParse(attribute.Value, out _, out string? error))
                {
                    invalid.Add((attribute, error));
                }
            }

            return invalid;
        }
    }

    /// <summary>Whether any <c>a=crypto</c> line is malformed.</summary>
    public bool HasInvalidCrypto => InvalidCrypto.Count > 0;

    /// <summary>The rtpmap for payload type <paramref name="payloadType"/>, or null.</summary>
    public SdpRtpMap? GetRtpMap(int payloadType) => RtpMaps.FirstOrDefault(map => map.PayloadType == payloadType);

    /// <summary>The parameters of <c>a=fmtp:&lt;payloadType&gt; &lt;parameters&gt;</c> (RFC 8866 §6.15), or null when absent.</summary>
    public string? GetFmtp(int payloadType)
    {
        string prefix = SdpText.Invariant(payloadType);
        foreach (SdpAttribute attribute in GetAttributes("fmtp"))
        {
            string? value = attribute.Value;
            if (value is not null && value.StartsWith(prefix, StringComparison.Ordinal))
            {
                if (value.Length == prefix.Length)
                {
                    return string.Empty;
                }

                if (value[prefix.Length] == ' ')
                {
                    return value[(prefix.Length + 1)..];
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Replaces all <c>a=crypto</c> lines (valid or not) with <paramref name="crypto"/>, placed where the first one was, or after the
    /// last attribute when there was none. An empty sequence removes them all.
    /// </summary>
    public void SetCrypto(IEnumerable<SdpCrypto> crypto)
    {
        ArgumentNullException.ThrowIfNull(crypto);
        string[] values = [.. crypto.Select(item => "crypto:" + item.ToWireString())];
        ReplaceAttributes(line => SdpAttribute.LineHasName(line.Value, "crypto"), values);
    }

    /// <summary>A deep copy (lines are immutable and shared).</summary>
    public MediaDescription Clone() =>
        new(_rawMediaLine, _media, _port, _portCount, _protocol, _formats, [.. LineList]);

    /// <summary>The section with key material redacted; use for logs only.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append("m=").Append(MediaLineValue).Append("\r\n");
        AppendRedacted(builder);
        return builder.ToString();
    }

    /// <summary>The value after <c>m=</c>: the received text until a field changes.</summary>
    internal string MediaLineValue => _rawMediaLine ?? FormatMediaLine();

    /// <summary>Parses an <c>m=</c> value into a media section that owns <paramref name="lines"/>.</summary>
    internal static bool TryCreate(string value, List<SdpLine> lines, [NotNullWhen(true)] out MediaDescription? media, [NotNullWhen(false)] out string? error)
    {
        media = null;
        string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3)
        {
            error = "m= needs <media> <port> <proto> [<fmt> ...]";
            return false;
        }

        foreach (string part in parts)
        {
            if (!SdpText.IsToken(part))
            {
                error = "m= contains a tab or control character";
                return false;
            }
        }

        string portText = parts[1];
        int? portCount = null;
        int slash = portText.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!SdpText.TryParseDigits(portText.AsSpan(slash + 1), 5, out ulong count) || count == 0)
            {
                error = $"m= port count '{portText[(slash + 1)..]}' is not a positive number";
                return false;
            }

            portCount = (int)count;
            portText = portText[..slash];
        }

        if (!SdpText.TryParsePort(portText, out int port))
        {
            error = $"m= port '{portText}' is not a number 0-65535";
            return false;
        }

        media = new MediaDescription(value, parts[0], port, portCount, parts[2], parts[3..], lines);
        error = null;
        return true;
    }

    private protected override int Rank(char type) => MediaOrder.IndexOf(type, StringComparison.Ordinal);

    private protected override bool IsStructural(char type) => type is 'v' or 'o' or 's' or 'm' or 'c' or 'a';

    private static void ThrowIfBadPortCount(int? portCount)
    {
        if (portCount is <= 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(portCount), portCount, "Port count must be 1-65535.");
        }
    }

    private bool HasProtocolPart(string part)
    {
        foreach (Range range in _protocol.AsSpan().Split('/'))
        {
            if (_protocol.AsSpan()[range].Equals(part, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private void SetField<T>(ref T field, T value)
    {
        if (!EqualityComparer<T>.Default.Equals(field, value))
        {
            field = value;
            MarkMediaLineChanged();
        }
    }

    private void MarkMediaLineChanged() => _rawMediaLine = null;

    private string FormatMediaLine()
    {
        var builder = new StringBuilder(64);
        builder.Append(_media).Append(' ').Append(SdpText.Invariant(_port));
        if (_portCount is int count)
        {
            builder.Append('/').Append(SdpText.Invariant(count));
        }

        builder.Append(' ').Append(_protocol);
        foreach (string format in _formats)
        {
            builder.Append(' ').Append(format);
        }

        return builder.ToString();
    }
}

using System.Globalization;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// One SIP message from baresip's <c>-s</c> trace (see <see cref="BaresipProcess.SipTrace"/>), as baresip sent or
/// received it: over TLS this is the only place a test can read the SIP (and SDP) of a leg.
/// </summary>
public sealed class BaresipSipMessage
{
    // RFC 3261 §7.3.3 compact forms of the headers read here.
    private static readonly Dictionary<string, string> CompactForms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Via"] = "v", ["Content-Type"] = "c", ["Call-ID"] = "i", ["From"] = "f", ["To"] = "t", ["Contact"] = "m", ["Content-Length"] = "l",
    };

    private readonly string[] _headerLines;

    internal BaresipSipMessage(bool sent, string transport, string source, string destination, string text)
    {
        Sent = sent;
        Transport = transport;
        Source = source;
        Destination = destination;
        Text = text;
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = headerEnd < 0 ? text : text[..headerEnd];
        Body = headerEnd < 0 ? string.Empty : text[(headerEnd + 4)..];
        var lines = head.Split("\r\n");
        StartLine = lines[0];
        _headerLines = lines[1..];
    }

    /// <summary>True when baresip sent it, false when it received it.</summary>
    public bool Sent { get; }

    /// <summary>The transport baresip names (<c>TLS</c>, <c>TCP</c>, <c>UDP</c>).</summary>
    public string Transport { get; }

    /// <summary>The source address as baresip printed it (<c>127.0.0.1:5061</c>).</summary>
    public string Source { get; }

    /// <summary>
    /// The destination address as baresip printed it. For a response baresip sends this is the Via's sent-by (where
    /// it would send without a connection), not the connection's remote port.
    /// </summary>
    public string Destination { get; }

    /// <summary>The whole message, CRLF line ends.</summary>
    public string Text { get; }

    /// <summary>The request line or status line.</summary>
    public string StartLine { get; }

    /// <summary>The body (empty when none).</summary>
    public string Body { get; }

    /// <summary>A request (not a response).</summary>
    public bool IsRequest => !StartLine.StartsWith("SIP/", StringComparison.Ordinal);

    /// <summary>The request method, or null for a response.</summary>
    public string? Method => IsRequest ? StartLine.Split(' ')[0] : null;

    /// <summary>The status code, or null for a request.</summary>
    public int? StatusCode =>
        !IsRequest && StartLine.Split(' ') is [_, var code, ..] && int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>The method of the CSeq (what a response answers).</summary>
    public string? CSeqMethod => Header("CSeq")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var method, ..] ? method : null;

    /// <summary>The Call-ID.</summary>
    public string? CallId => Header("Call-ID");

    /// <summary>True when the body is SDP.</summary>
    public bool HasSdp =>
        Body.Length > 0 && Header("Content-Type")?.StartsWith("application/sdp", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The value of the first <paramref name="name"/> header (or its compact form), trimmed; null when absent.</summary>
    public string? Header(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        CompactForms.TryGetValue(name, out var compact);
        foreach (var line in _headerLines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var header = line.AsSpan(0, colon).Trim();
            if (header.Equals(name, StringComparison.OrdinalIgnoreCase) || (compact is not null && header.Equals(compact, StringComparison.OrdinalIgnoreCase)))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{(Sent ? "sent" : "received")} {Transport} {Source} -> {Destination}: {StartLine}";
}

using System.Globalization;
using System.Net;

namespace SipTrunk.Testing.Media;

/// <summary>
/// The parts of an SDP body a media test checks (the first audio stream), read with a few lines of text handling
/// independent of SipTrunk's own SDP code so a test can judge what SipTrunk wrote.
/// </summary>
/// <param name="ConnectionAddress">The audio stream's <c>c=</c> address (media level, else session level).</param>
/// <param name="AudioPort">The <c>m=audio</c> port.</param>
/// <param name="AudioProtocol">The <c>m=audio</c> protocol (<c>RTP/AVP</c>, <c>RTP/SAVP</c>).</param>
/// <param name="AudioFormats">The <c>m=audio</c> payload types, in order.</param>
/// <param name="Crypto">The audio stream's <c>a=crypto</c> values (RFC 4568 §9.1: <c>tag suite inline:key|...</c>), in order.</param>
public sealed record SdpSummary(
    string? ConnectionAddress, int? AudioPort, string? AudioProtocol, IReadOnlyList<string> AudioFormats, IReadOnlyList<string> Crypto)
{
    /// <summary>Where the audio is to be sent, when address and port are both there.</summary>
    public IPEndPoint? AudioEndPoint =>
        AudioPort is { } port && IPAddress.TryParse(ConnectionAddress, out var address) ? new IPEndPoint(address, port) : null;

    /// <summary>The key parameters of <see cref="Crypto"/> (the third field, <c>inline:base64key|lifetime|mki</c>).</summary>
    public IReadOnlyList<string> CryptoKeys =>
        [.. Crypto.Select(value => value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(fields => fields.Length >= 3).Select(fields => fields[2])];

    /// <summary>Reads <paramref name="sdp"/> (CRLF or LF line ends).</summary>
    public static SdpSummary Parse(string sdp)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        string? sessionConnection = null;
        string? mediaConnection = null;
        int? port = null;
        string? protocol = null;
        List<string> formats = [];
        List<string> crypto = [];

        // 0: session level, 1: inside the first m=audio, 2: past it.
        var section = 0;
        foreach (var raw in sdp.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length < 2 || line[1] != '=')
            {
                continue;
            }

            var value = line[2..];
            switch (line[0])
            {
                case 'm':
                    var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (section == 0 && fields is ["audio", var portText, var proto, ..])
                    {
                        section = 1;
                        port = int.TryParse(portText.Split('/')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
                        protocol = proto;
                        formats.AddRange(fields[3..]);
                    }
                    else if (section == 1)
                    {
                        section = 2;
                    }

                    break;
                case 'c' when section < 2:
                    // RFC 8866 §5.7: "IN IP4 127.0.0.1" (an IPv4 multicast address could carry /ttl).
                    var address = value.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, _, var text, ..] ? text.Split('/')[0] : null;
                    if (section == 0)
                    {
                        sessionConnection = address;
                    }
                    else
                    {
                        mediaConnection = address;
                    }

                    break;
                case 'a' when section == 1 && value.StartsWith("crypto:", StringComparison.Ordinal):
                    crypto.Add(value["crypto:".Length..].Trim());
                    break;
            }
        }

        return new SdpSummary(mediaConnection ?? sessionConnection, port, protocol, formats, crypto);
    }
}

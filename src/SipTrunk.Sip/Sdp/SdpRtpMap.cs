using System.Diagnostics.CodeAnalysis;

namespace SipTrunk.Sip.Sdp;

/// <summary><c>a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;encoding parameters&gt;]</c> (RFC 8866 §6.6).</summary>
public sealed record SdpRtpMap
{
    /// <summary>Creates an rtpmap value; the payload type must be 0-127 (RFC 3551 §3).</summary>
    public SdpRtpMap(int payloadType, string encoding, int clockRate, int? channels = null)
    {
        if (payloadType is < 0 or > 127)
        {
            throw new ArgumentOutOfRangeException(nameof(payloadType), payloadType, "RTP payload type must be 0-127.");
        }

        SdpText.ThrowIfNotToken(encoding, nameof(encoding));
        if (encoding.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("Encoding name must not contain '/'.", nameof(encoding));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        if (channels is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channel count must be positive.");
        }

        PayloadType = payloadType;
        Encoding = encoding;
        ClockRate = clockRate;
        Channels = channels;
    }

    /// <summary>RTP payload type number.</summary>
    public int PayloadType { get; }

    /// <summary>Encoding name as written, e.g. <c>PCMU</c>, <c>opus</c>, <c>telephone-event</c>.</summary>
    public string Encoding { get; }

    /// <summary>RTP clock rate in Hz.</summary>
    public int ClockRate { get; }

    /// <summary>Audio channel count (the encoding parameters), when given.</summary>
    public int? Channels { get; }

    /// <summary>Parses the value after <c>a=rtpmap:</c>; false for anything not matching the grammar.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpRtpMap? rtpMap)
    {
        rtpMap = null;
        if (value is null)
        {
            return false;
        }

        int space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || !SdpText.TryParseDigits(value.AsSpan(0, space), 3, out ulong payloadType) || payloadType > 127)
        {
            return false;
        }

        string[] pieces = value[(space + 1)..].Split('/');
        if (pieces.Length is < 2 or > 3
            || !SdpText.IsToken(pieces[0])
            || !SdpText.TryParseDigits(pieces[1], 9, out ulong clockRate)
            || clockRate == 0)
        {
            return false;
        }

        int? channels = null;
        if (pieces.Length == 3)
        {
            if (!SdpText.TryParseDigits(pieces[2], 9, out ulong channelCount) || channelCount == 0)
            {
                return false;
            }

            channels = (int)channelCount;
        }

        rtpMap = new SdpRtpMap((int)payloadType, pieces[0], (int)clockRate, channels);
        return true;
    }

    /// <summary>The wire form of the value (after <c>a=rtpmap:</c>).</summary>
    public override string ToString() =>
        string.Concat(
            SdpText.Invariant(PayloadType), " ", Encoding, "/", SdpText.Invariant(ClockRate),
            Channels is int channels ? "/" + SdpText.Invariant(channels) : string.Empty);
}

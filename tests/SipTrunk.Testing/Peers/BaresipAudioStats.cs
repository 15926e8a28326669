using System.Globalization;
using System.Text.RegularExpressions;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// One call's audio stream as baresip 1.0's <c>audio_debug</c> command prints it (see <see cref="BaresipProcess.GetAudioStatsAsync"/>).
/// </summary>
/// <param name="PacketsSent">RTP packets sent (<c>TX: packets=N</c> of its RTCP session).</param>
/// <param name="PacketsReceived">
/// RTP packets received from the other side (<c>rcvd=N</c>, summed over RTCP members). With SRTP these are packets
/// that decrypted and authenticated: libre's srtp module drops the others before RTP sees them.
/// </param>
/// <param name="MediaEncryption">The media encryption in use (<c>menc: srtp-mand</c>), or null when none.</param>
/// <param name="Secure">baresip reports the stream as secure (<c>secure=yes</c>): SRTP keys agreed.</param>
/// <param name="LocalRtp">Its RTP socket (<c>local:</c>; baresip binds 0.0.0.0).</param>
/// <param name="RemoteRtp">Where it sends RTP (<c>remote:</c>, the RTP half of <c>rtp/rtcp</c>).</param>
/// <param name="Text">The whole answer, for assertion messages.</param>
public sealed partial record BaresipAudioStats(
    long PacketsSent, long PacketsReceived, string? MediaEncryption, bool Secure, string? LocalRtp, string? RemoteRtp, string Text)
{
    /// <summary>Reads an <c>audio_debug</c> answer; counters it does not show (no packet yet) are 0.</summary>
    public static BaresipAudioStats Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sent = TxPackets().Match(text) is { Success: true } tx ? long.Parse(tx.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : 0;
        long received = 0;
        foreach (Match member in ReceivedPackets().Matches(text))
        {
            received += long.Parse(member.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        }

        var encryption = MediaEncryptionLine().Match(text);
        var addresses = RtpAddresses().Match(text);
        return new BaresipAudioStats(
            sent,
            received,
            encryption.Success ? encryption.Groups["name"].Value : null,
            encryption.Success && encryption.Groups["secure"].Value == "yes",
            addresses.Success ? addresses.Groups["local"].Value : null,
            addresses.Success ? addresses.Groups["remote"].Value : null,
            text);
    }

    [GeneratedRegex(@"TX: packets=(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex TxPackets();

    [GeneratedRegex(@"\brcvd=(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ReceivedPackets();

    [GeneratedRegex(@"menc: (?<name>[\w-]+) \(secure=(?<secure>yes|no)\)", RegexOptions.CultureInvariant)]
    private static partial Regex MediaEncryptionLine();

    [GeneratedRegex(@"local: (?<local>[^\s,]+), remote: (?<remote>[^\s/]+)", RegexOptions.CultureInvariant)]
    private static partial Regex RtpAddresses();
}

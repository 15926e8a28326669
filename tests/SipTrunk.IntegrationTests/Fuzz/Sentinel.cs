using System.Globalization;
using System.Text;

namespace SipTrunk.IntegrationTests.Fuzz;

/// <summary>
/// A request SipTrunk's transaction layer always refuses with 400 (a malformed Max-Forwards, RFC 3261 §8.2.2), sent
/// after each batch: its answer proves everything before it was taken in, so the test paces itself without sleeping
/// and without overrunning SipTrunk's socket buffers.
/// </summary>
internal static class Sentinel
{
    public static byte[] Create(string channel, int number, string transport, int localPort) => Encoding.ASCII.GetBytes(string.Create(
        CultureInfo.InvariantCulture,
        $"OPTIONS sip:sentinel@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/{transport} 127.0.0.1:{localPort};branch=z9hG4bK-sentinel-{channel}-{number}\r\n"
        + $"Max-Forwards: abc\r\nFrom: <sip:sentinel@127.0.0.1>;tag=s{number}\r\nTo: <sip:sentinel@127.0.0.1>\r\n"
        + $"Call-ID: sentinel-{channel}-{number}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"));

    /// <summary>The sentinel number <paramref name="response"/> answers, or -1 when it answers something else.</summary>
    public static int Find(string response, string channel)
    {
        var prefix = $"Call-ID: sentinel-{channel}-";
        var at = response.IndexOf(prefix, StringComparison.Ordinal);
        if (at < 0)
        {
            return -1;
        }

        var end = response.IndexOf("\r\n", at, StringComparison.Ordinal);
        return end > 0 && int.TryParse(response.AsSpan(at + prefix.Length, end - at - prefix.Length), CultureInfo.InvariantCulture, out var number) ? number : -1;
    }
}

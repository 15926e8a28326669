using System.Text;
using CsCheck;
using SipTrunk.Sip.Sdp;

namespace SipTrunk.Sip.Tests.Sdp;

public sealed class SessionDescriptionPropertyTests
{
    private static readonly byte[][] _seeds = [.. SdpSamples.AllTexts.Select(Encoding.UTF8.GetBytes)];

    /// <summary>Bytes that matter to the grammar, so mutations hit interesting cases more often than uniform noise would.</summary>
    private static readonly byte[] _interesting = "\r\n =:/|;^0123456789amcvosbtkxAZ-\0\t"u8.ToArray();

    private static readonly Gen<byte> _mutationByte = Gen.Frequency((3, Gen.OneOfConst(_interesting)), (1, Gen.Byte));

    /// <summary>A sample with a few bytes replaced, inserted or deleted.</summary>
    private static readonly Gen<byte[]> _mutatedSample =
        Gen.Select(Gen.Int[0, _seeds.Length - 1], Gen.Select(Gen.Int[0, 2], Gen.Int[0, 4096], _mutationByte).Array[1, 6])
            .Select((seed, edits) =>
            {
                var bytes = new List<byte>(_seeds[seed]);
                foreach ((int kind, int position, byte value) in edits)
                {
                    int index = position % (bytes.Count + 1);
                    if (kind == 0 && index < bytes.Count)
                    {
                        bytes[index] = value;
                    }
                    else if (kind == 1 || bytes.Count == 0)
                    {
                        bytes.Insert(index, value);
                    }
                    else if (index < bytes.Count)
                    {
                        bytes.RemoveAt(index);
                    }
                }

                return bytes.ToArray();
            });

    /// <summary>Line-structured noise: random lines of grammar-ish bytes behind a valid header.</summary>
    private static readonly Gen<byte[]> _randomLines =
        Gen.Select(_mutationByte.Array[0, 40], Gen.Byte[(byte)'a', (byte)'z']).Array[0, 30]
            .Select(lines =>
            {
                var bytes = new List<byte>(Encoding.ASCII.GetBytes("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"));
                foreach ((byte[] value, byte type) in lines)
                {
                    bytes.Add(type);
                    bytes.Add((byte)'=');
                    bytes.AddRange(value);
                    bytes.Add((byte)'\r');
                    bytes.Add((byte)'\n');
                }

                return bytes.ToArray();
            });

    [Fact]
    public void TryParse_RandomBytes_NeverThrowsAndRoundTrips()
    {
        Gen.Byte.Array[0, 600].Sample(CheckRoundTrip, iter: 20_000);
    }

    [Fact]
    public void TryParse_MutatedSamples_NeverThrowsAndRoundTrips()
    {
        _mutatedSample.Sample(CheckRoundTrip, iter: 20_000);
    }

    [Fact]
    public void TryParse_RandomLines_NeverThrowsAndRoundTrips()
    {
        _randomLines.Sample(CheckRoundTrip, iter: 20_000);
    }

    [Fact]
    public void TryParse_SomeMutatedSamples_StillParse()
    {
        // Guards the properties above against vacuity: a good share of the mutated inputs must get past the parser.
        int parsed = 0;
        _mutatedSample.Sample(bytes => parsed += SessionDescription.TryParse(bytes, out _, out _) ? 1 : 0, iter: 2_000, threads: 1);

        Assert.InRange(parsed, 200, 2_000);
    }

    /// <summary>
    /// Never throws; whatever parses writes and re-parses to the same bytes, its typed views do not throw, and input that is
    /// already canonical (CRLF everywhere, no blank lines) comes back byte for byte.
    /// </summary>
    private static void CheckRoundTrip(byte[] input)
    {
        if (!SessionDescription.TryParse(input, out SessionDescription? sdp, out string? error))
        {
            Assert.False(string.IsNullOrEmpty(error));
            return;
        }

        byte[] written = sdp.ToArray();
        Assert.True(SessionDescription.TryParse(written, out SessionDescription? again, out string? againError), againError);
        Assert.Equal(written, again.ToArray());
        if (IsCanonical(input))
        {
            Assert.Equal(input, written);
        }

        TouchTypedViews(sdp);
        Assert.DoesNotContain("\0", sdp.ToString(), StringComparison.Ordinal);
    }

    private static bool IsCanonical(byte[] input)
    {
        if (input.Length < 2 || input[^2] != (byte)'\r' || input[^1] != (byte)'\n')
        {
            return false;
        }

        for (int i = 0; i < input.Length; i++)
        {
            bool bareLf = input[i] == (byte)'\n' && (i == 0 || input[i - 1] != (byte)'\r');
            bool blankLine = input[i] == (byte)'\n' && i >= 3 && input[i - 2] == (byte)'\n';
            if (bareLf || blankLine)
            {
                return false;
            }
        }

        return true;
    }

    private static void TouchTypedViews(SessionDescription sdp)
    {
        _ = sdp.Origin.WithIncrementedVersion();
        _ = sdp.SessionName;
        _ = sdp.Connection;
        _ = sdp.Direction;
        _ = sdp.HasInvalidCrypto;
        foreach (MediaDescription media in sdp.Media)
        {
            _ = media.Connection;
            _ = media.RtpMaps.ToList();
            _ = media.Rtcp;
            _ = media.Crypto;
            _ = media.InvalidCrypto;
            _ = media.Direction;
            _ = media.IsSecureRtp;
            _ = media.GetFmtp(0);
        }
    }
}

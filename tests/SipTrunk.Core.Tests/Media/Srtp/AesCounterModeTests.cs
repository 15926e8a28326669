using System.Security.Cryptography;
using SipTrunk.Core.Media.Srtp;
using static SipTrunk.Core.Tests.Media.Srtp.SrtpTestPackets;

namespace SipTrunk.Core.Tests.Media.Srtp;

public class AesCounterModeTests
{
    // RFC 3711 Appendix B.2: session key and the (already shifted) session salt, SSRC, ROC and SEQ all zero.
    private static readonly byte[] SessionKey = Hex("2B7E151628AED2A6ABF7158809CF4F3C");
    private static readonly byte[] Offset = Hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");

    [Fact]
    public void Keystream_Rfc3711B2_FirstAndLastBlocksMatch()
    {
        using var counterMode = new AesCounterMode(SessionKey);
        var keystream = new byte[1044512];

        counterMode.Keystream(Offset, keystream);

        Assert.Equal(
            "E03EAD0935C95E80E166B16DD92B4EB4" + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0",
            Convert.ToHexString(keystream, 0, 48));
        Assert.Equal(
            "EC8CDF7398607CB0F2D21675EA9EA1E4" + "362B7C3C6773516318A077D7FC5073AE" + "6A2CC3787889374FBEB4C81B17BA6C44",
            Convert.ToHexString(keystream, keystream.Length - 48, 48));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(38)]
    [InlineData((AesCounterMode.MaxBlocksPerCall * 16) + 5)]
    public void Transform_AnyLength_XorsTheKeystream(int length)
    {
        using var counterMode = new AesCounterMode(SessionKey);
        var keystream = new byte[length];
        counterMode.Keystream(Offset, keystream);
        var data = new byte[length];
        new Random(length).NextBytes(data);
        var output = new byte[length];

        counterMode.Transform(Offset, data, output);

        Assert.Equal(data.Zip(keystream, (d, k) => (byte)(d ^ k)).ToArray(), output);
    }

    [Fact]
    public void Keystream_CounterCarriesPastLow64Bits_IncrementsHighHalf()
    {
        using var counterMode = new AesCounterMode(SessionKey);
        var iv = Hex("00000000000000FF FFFFFFFFFFFFFFFF");
        var keystream = new byte[32];

        counterMode.Keystream(iv, keystream);

        using var aes = Aes.Create();
        aes.Key = SessionKey;
        var second = aes.EncryptEcb(Hex("0000000000000100 0000000000000000"), PaddingMode.None);
        Assert.Equal(second, keystream[16..]);
    }
}

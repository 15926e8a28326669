using System.Text;
using SipTrunk.Sip.Auth;

namespace SipTrunk.Sip.Tests.Auth;

public class Sha512Truncated256Tests
{
    [Theory]
    // FIPS 180-4 example "abc" (NIST CSRC SHA512_256.pdf), and values from OpenSSL's `dgst -sha512-256`.
    [InlineData("abc", "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23")]
    [InlineData("", "c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a")]
    public void HashData_KnownMessage_MatchesReference(string message, string expected)
    {
        Span<byte> hash = stackalloc byte[32];

        Sha512Truncated256.HashData(Encoding.ASCII.GetBytes(message), hash);

        Assert.Equal(expected, Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void HashData_MultiBlockMessage_MatchesReference()
    {
        // 200 bytes: one full block plus a tail that needs a second padding block. Python hashlib value.
        Span<byte> hash = stackalloc byte[32];

        Sha512Truncated256.HashData(Encoding.ASCII.GetBytes(new string('a', 200)), hash);

        Assert.Equal("19b1e37317d7fd3d7651f397005e31f154ef4912d1345743d2d5889aaca28996", Convert.ToHexStringLower(hash));
    }

    [Theory]
    // Lengths 111/112 flip between one and two padding blocks (FIPS 180-4 §5.1.2); values from OpenSSL's `dgst -sha512-256`.
    [InlineData(111, "0239e429f98d0ed61ee8e2a7c30afe98c1c3a80ce5dff62a107e9c538f7632ce")]
    [InlineData(112, "9216b5303edb66504570bee90e48ea5beaa5e9fe9f760bbd3e0460559fc005f6")]
    [InlineData(127, "2fe3b2a6ee7e12f6fe4ba82166541ad9b4ed882c493581cbe300d68f3757b778")]
    [InlineData(128, "b88f97e274f9c1d49f181c8cbd01a9c74930ad055a46ac4499a1d601f1c80bf2")]
    public void HashData_LengthsAroundBlockBoundary_MatchOpenSsl(int length, string expected)
    {
        Span<byte> hash = stackalloc byte[32];

        Sha512Truncated256.HashData(Encoding.ASCII.GetBytes(new string('a', length)), hash);

        Assert.Equal(expected, Convert.ToHexStringLower(hash));
    }
}

using SipTrunk.Sip.Auth;

namespace SipTrunk.Sip.Tests.Auth;

public class DigestAlgorithmsTests
{
    [Theory]
    [InlineData("MD5", DigestAlgorithm.Md5)]
    [InlineData("md5", DigestAlgorithm.Md5)]
    [InlineData("SHA-256", DigestAlgorithm.Sha256)]
    [InlineData("sha-256", DigestAlgorithm.Sha256)]
    [InlineData("SHA-512-256", DigestAlgorithm.Sha512_256)]
    public void TryParse_KnownToken_ReturnsAlgorithm(string token, DigestAlgorithm expected)
    {
        Assert.True(DigestAlgorithms.TryParse(token, out var algorithm));
        Assert.Equal(expected, algorithm);
    }

    [Theory]
    [InlineData("")]
    [InlineData("MD5-sess")]
    [InlineData("SHA256")]
    [InlineData("SHA-512")]
    public void TryParse_UnknownToken_ReturnsFalse(string token)
    {
        Assert.False(DigestAlgorithms.TryParse(token, out _));
    }

    [Theory]
    [InlineData(DigestAlgorithm.Md5, "MD5")]
    [InlineData(DigestAlgorithm.Sha256, "SHA-256")]
    [InlineData(DigestAlgorithm.Sha512_256, "SHA-512-256")]
    public void ToToken_EachAlgorithm_ReturnsWireToken(DigestAlgorithm algorithm, string expected)
    {
        Assert.Equal(expected, DigestAlgorithms.ToToken(algorithm));
        Assert.True(DigestAlgorithms.TryParse(DigestAlgorithms.ToToken(algorithm), out var back));
        Assert.Equal(algorithm, back);
    }
}

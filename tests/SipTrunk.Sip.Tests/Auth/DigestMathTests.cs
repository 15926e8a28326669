using System.Security.Cryptography;
using System.Text;
using SipTrunk.Sip.Auth;

namespace SipTrunk.Sip.Tests.Auth;

public class DigestMathTests
{
    // RFC 2617 §3.5.
    private const string Rfc2617Nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";

    // RFC 7616 §3.9.1.
    private const string Rfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string Rfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    [Fact]
    public void ComputeResponse_Rfc2617Section3_5_MatchesPublishedResponse()
    {
        var ha1 = DigestMath.ComputeHa1(DigestAlgorithm.Md5, "Mufasa", "testrealm@host.com", "Circle Of Life");
        var ha2 = DigestMath.ComputeHa2(DigestAlgorithm.Md5, "GET", "/dir/index.html");

        var response = DigestMath.ComputeResponse(DigestAlgorithm.Md5, ha1, Rfc2617Nonce, "00000001", "0a4f113b", "auth", ha2);

        Assert.Equal("6629fae49393a05397450978507c4ef1", response);
    }

    [Fact]
    public void ComputeResponse_NoQop_UsesRfc2069Form()
    {
        var ha1 = DigestMath.ComputeHa1(DigestAlgorithm.Md5, "Mufasa", "testrealm@host.com", "Circle Of Life");
        var ha2 = DigestMath.ComputeHa2(DigestAlgorithm.Md5, "GET", "/dir/index.html");

        var response = DigestMath.ComputeResponse(DigestAlgorithm.Md5, ha1, Rfc2617Nonce, null, null, null, ha2);

        // MD5(HA1 ":" nonce ":" HA2), computed here independently of DigestMath.
        var expected = Md5Hex($"{ha1}:{Rfc2617Nonce}:{ha2}");
        Assert.Equal(expected, response);
        Assert.Equal("670fd8c2df070c60b045671b8b24ff02", response);
    }

    [Theory]
    [InlineData(DigestAlgorithm.Md5, "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData(DigestAlgorithm.Sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void ComputeResponse_Rfc7616Section3_9_1_MatchesPublishedResponse(DigestAlgorithm algorithm, string expected)
    {
        // RFC 7616 §3.9.1 with erratum 4495: the password is "Circle of Life" (lowercase "of").
        var ha1 = DigestMath.ComputeHa1(algorithm, "Mufasa", "http-auth@example.org", "Circle of Life");
        var ha2 = DigestMath.ComputeHa2(algorithm, "GET", "/dir/index.html");

        var response = DigestMath.ComputeResponse(algorithm, ha1, Rfc7616Nonce, "00000001", Rfc7616Cnonce, "auth", ha2);

        Assert.Equal(expected, response);
    }

    [Fact]
    public void ComputeResponse_Sha512_256WithUtf8Username_MatchesIndependentComputation()
    {
        // The inputs of RFC 7616 §3.9.2 (userhash=false). The response printed in the RFC is disputed (erratum 4897);
        // this value was computed with Python's hashlib.new("sha512_256") and agrees with other implementations.
        var ha1 = DigestMath.ComputeHa1(DigestAlgorithm.Sha512_256, "J\u00e4s\u00f8n Doe", "api@example.org", "Secret, or not?");
        var ha2 = DigestMath.ComputeHa2(DigestAlgorithm.Sha512_256, "GET", "/doe.json");

        var response = DigestMath.ComputeResponse(
            DigestAlgorithm.Sha512_256,
            ha1,
            "5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK",
            "00000001",
            "NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v",
            "auth",
            ha2);

        Assert.Equal("2d3d9f12c9f3d30011259dc5fecee005ae24de40e3e1f61806d03e65f1e6024f", ha1);
        Assert.Equal("3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5", response);
    }

    [Fact]
    public void ComputeHa1_Md5_EqualsMd5OfJoinedUtf8()
    {
        var ha1 = DigestMath.ComputeHa1(DigestAlgorithm.Md5, "pbx-a", "trunk.example.net", "s\u00e9cret");

        Assert.Equal(Md5Hex("pbx-a:trunk.example.net:s\u00e9cret"), ha1);
    }

    [Fact]
    public void ComputeHa1_LongInput_UsesPooledBufferAndStillMatches()
    {
        var password = new string('p', 5000);

        var ha1 = DigestMath.ComputeHa1(DigestAlgorithm.Sha256, "u", "r", password);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("u:r:" + password))), ha1);
    }

    [Fact]
    public void ComputeResponse_UppercaseHa1_SameAsLowercase()
    {
        var ha1 = DigestMath.ComputeHa1(DigestAlgorithm.Md5, "Mufasa", "testrealm@host.com", "Circle Of Life");
        var ha2 = DigestMath.ComputeHa2(DigestAlgorithm.Md5, "GET", "/dir/index.html");

        var response = DigestMath.ComputeResponse(
            DigestAlgorithm.Md5, ha1.ToUpperInvariant(), Rfc2617Nonce, "00000001", "0a4f113b", "auth", ha2.ToUpperInvariant());

        Assert.Equal("6629fae49393a05397450978507c4ef1", response);
    }

    [Fact]
    public void ComputeResponse_QopWithoutCnonce_Throws()
    {
        Assert.Throws<ArgumentException>(() =>
            DigestMath.ComputeResponse(DigestAlgorithm.Md5, "00", "n", "00000001", null, "auth", "00"));
    }

    [Fact]
    public void FixedTimeEqualsHex_Equal_ReturnsTrue()
    {
        Assert.True(DigestMath.FixedTimeEqualsHex("6629fae49393a05397450978507c4ef1", "6629fae49393a05397450978507c4ef1"));
    }

    [Fact]
    public void FixedTimeEqualsHex_DifferentCase_ReturnsTrue()
    {
        Assert.True(DigestMath.FixedTimeEqualsHex("6629fae49393a05397450978507c4ef1", "6629FAE49393A05397450978507C4EF1"));
    }

    [Theory]
    [InlineData("6629fae49393a05397450978507c4ef1", "6629fae49393a05397450978507c4ef0")]
    [InlineData("6629fae49393a05397450978507c4ef1", "7629fae49393a05397450978507c4ef1")]
    [InlineData("0a", "1a")]
    public void FixedTimeEqualsHex_Differ_ReturnsFalse(string a, string b)
    {
        Assert.False(DigestMath.FixedTimeEqualsHex(a, b));
    }

    [Theory]
    [InlineData("6629fae49393a05397450978507c4ef1", "6629fae49393a05397450978507c4ef")]
    [InlineData("6629fae49393a05397450978507c4ef1", "")]
    [InlineData("abc", "abcd")]
    public void FixedTimeEqualsHex_DifferentLength_ReturnsFalse(string a, string b)
    {
        Assert.False(DigestMath.FixedTimeEqualsHex(a, b));
    }

    [Theory]
    [InlineData("@0", "`0")]
    [InlineData("g0", "G0")]
    public void FixedTimeEqualsHex_NonHex_ReturnsFalse(string a, string b)
    {
        Assert.False(DigestMath.FixedTimeEqualsHex(a, b));
    }

    [Fact]
    public void FixedTimeEqualsHex_LongerThanStackLimit_ComparesAll()
    {
        var a = new string('a', 2000);
        var b = new string('a', 1999) + "b";

        Assert.True(DigestMath.FixedTimeEqualsHex(a, a.ToUpperInvariant()));
        Assert.False(DigestMath.FixedTimeEqualsHex(a, b));
    }

    private static string Md5Hex(string value) =>
#pragma warning disable CA5351 // the digest vectors are MD5 by definition
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(value)));
#pragma warning restore CA5351
}

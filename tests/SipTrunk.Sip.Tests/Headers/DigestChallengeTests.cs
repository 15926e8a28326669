using SipTrunk.Sip.Headers;

namespace SipTrunk.Sip.Tests.Headers;

public sealed class DigestChallengeTests
{
    // RFC 7616 §3.9.1, as folded on the wire.
    private const string Rfc7616Sha256 =
        "Digest\r\n    realm=\"http-auth@example.org\",\r\n    qop=\"auth, auth-int\",\r\n    algorithm=SHA-256,\r\n" +
        "    nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\",\r\n    opaque=\"FQhe/qaU925kfnkeU5QqiWRuk8rdgg8GIqlgfK_5qzg\"";

    // RFC 7616 §3.9.2.
    private const string Rfc7616UserHash =
        "Digest\r\n    realm=\"api@example.org\",\r\n    qop=\"auth\",\r\n    algorithm=SHA-512-256,\r\n" +
        "    nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\",\r\n    opaque=\"HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS\",\r\n" +
        "    charset=UTF-8,\r\n    userhash=true";

    [Fact]
    public void TryParse_Rfc7616Example_ParsesAllFields()
    {
        Assert.True(DigestChallenge.TryParse(Rfc7616Sha256, out var challenge, out var error), error);

        Assert.Equal("Digest", challenge.Scheme);
        Assert.Equal("http-auth@example.org", challenge.Realm);
        Assert.Equal(["auth", "auth-int"], challenge.Qop);
        Assert.Equal("SHA-256", challenge.Algorithm);
        Assert.Equal("7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", challenge.Nonce);
        Assert.Equal("FQhe/qaU925kfnkeU5QqiWRuk8rdgg8GIqlgfK_5qzg", challenge.Opaque);
        Assert.False(challenge.Stale);
        Assert.False(challenge.UserHash);
        Assert.Null(challenge.Domain);
    }

    [Fact]
    public void ToHeaderValue_Rfc7616Example_RoundTrips()
    {
        Assert.True(DigestChallenge.TryParse(Rfc7616Sha256, out var challenge, out _));

        var expected = "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, "
            + "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnkeU5QqiWRuk8rdgg8GIqlgfK_5qzg\"";
        Assert.Equal(expected, challenge.ToHeaderValue());
        Assert.True(DigestChallenge.TryParse(challenge.ToHeaderValue(), out var again, out _));
        Assert.Equal(expected, again.ToHeaderValue());
    }

    [Fact]
    public void TryParse_Rfc7616UserHashExample_KeepsOtherParameters()
    {
        Assert.True(DigestChallenge.TryParse(Rfc7616UserHash, out var challenge, out var error), error);

        Assert.True(challenge.UserHash);
        Assert.Equal("SHA-512-256", challenge.Algorithm);
        Assert.Equal(["auth"], challenge.Qop);
        Assert.Equal("UTF-8", challenge.Parameters["charset"]);
        Assert.EndsWith(", charset=UTF-8, userhash=true", challenge.ToHeaderValue(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Rfc3261Example_StaleAndDomain()
    {
        var text = "Digest realm=\"atlanta.com\", domain=\"sip:ss1.carrier.com\", qop=\"auth\", "
            + "nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", opaque=\"\", stale=TRUE, algorithm=MD5";

        Assert.True(DigestChallenge.TryParse(text, out var challenge, out var error), error);

        Assert.Equal("sip:ss1.carrier.com", challenge.Domain);
        Assert.Equal("", challenge.Opaque);
        Assert.True(challenge.Stale);
        Assert.Equal("MD5", challenge.Algorithm);
    }

    [Fact]
    public void Create_OwnChallenge_WritesRfc7616Quoting()
    {
        var challenge = DigestChallenge.Create("trunk.example.net", "n0nce", "SHA-256", ["auth"], opaque: "op", stale: true);

        Assert.Equal(
            "Digest realm=\"trunk.example.net\", nonce=\"n0nce\", opaque=\"op\", algorithm=SHA-256, qop=\"auth\", stale=true",
            challenge.ToHeaderValue());
        Assert.Equal(challenge.ToHeaderValue(), challenge.ToString());
        Assert.True(DigestChallenge.TryParse(challenge.ToHeaderValue(), out var parsed, out _));
        Assert.True(parsed.Stale);
        Assert.Equal(["auth"], parsed.Qop);
    }

    [Fact]
    public void Create_Minimal_OmitsAbsentParameters()
    {
        Assert.Equal("Digest realm=\"r\", nonce=\"n\"", DigestChallenge.Create("r", "n").ToHeaderValue());
    }

    [Theory]
    [InlineData("", "missing authentication scheme")]
    [InlineData("Digest realm=\"a\", realm=\"b\"", "duplicate parameter 'realm'")]
    [InlineData("Digest REALM=\"a\", realm=\"b\"", "duplicate parameter 'realm'")]
    [InlineData("Digest realm=\"unterminated", "parameter 'realm': unterminated quoted string")]
    [InlineData("Digest realm", "parameter 'realm' has no value")]
    [InlineData("Digest realm=\"a\" nonce=\"b\"", "expected ',' after parameter 'realm'")]
    [InlineData("Digest=realm", "expected whitespace after authentication scheme")]
    [InlineData("Digest realm=", "missing value for parameter 'realm'")]
    public void TryParse_Invalid_ReturnsFalseWithReason(string text, string expected)
    {
        Assert.False(DigestChallenge.TryParse(text, out var challenge, out var error));
        Assert.Null(challenge);
        Assert.Equal(expected, error);
    }
}

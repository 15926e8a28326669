using SipTrunk.Sip.Headers;

namespace SipTrunk.Sip.Tests.Headers;

public sealed class DigestCredentialsTests
{
    private const string Sha256Response = "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1";

    // RFC 7616 §3.9.1, SHA-256 credentials as folded on the wire.
    private const string Rfc7616Sha256 =
        "Digest username=\"Mufasa\",\r\n    realm=\"http-auth@example.org\",\r\n    uri=\"/dir/index.html\",\r\n" +
        "    algorithm=SHA-256,\r\n    nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\",\r\n    nc=00000001,\r\n" +
        "    cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\",\r\n    qop=auth,\r\n" +
        "    response=\"" + Sha256Response + "\",\r\n    opaque=\"FQhe/qaU925kfnkeU5QqiWRuk8rdgg8GIqlgfK_5qzg\"";

    // RFC 7616 §3.9.2, userhash credentials.
    private const string Rfc7616UserHash =
        "Digest\r\n    username=\"488869477bf257147b804c45308cd62ac4e25eb717b12b298c79e62dcea254ec\",\r\n" +
        "    realm=\"api@example.org\",\r\n    uri=\"/doe.json\",\r\n    algorithm=SHA-512-256,\r\n" +
        "    nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\",\r\n    nc=00000001,\r\n" +
        "    cnonce=\"NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v\",\r\n    qop=auth,\r\n" +
        "    response=\"ae66e67d6b427bd3f120414a82e4acff38e8ecd9101d6c861229025f607a79dd\",\r\n" +
        "    opaque=\"HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS\",\r\n    userhash=true";

    [Fact]
    public void TryParse_Rfc7616Example_ParsesAllFields()
    {
        Assert.True(DigestCredentials.TryParse(Rfc7616Sha256, out var credentials, out var error), error);

        Assert.Equal("Digest", credentials.Scheme);
        Assert.Equal("Mufasa", credentials.Username);
        Assert.Equal("http-auth@example.org", credentials.Realm);
        Assert.Equal("/dir/index.html", credentials.Uri);
        Assert.Equal("SHA-256", credentials.Algorithm);
        Assert.Equal("7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", credentials.Nonce);
        Assert.Equal("00000001", credentials.NonceCount);
        Assert.Equal("f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", credentials.Cnonce);
        Assert.Equal("auth", credentials.Qop);
        Assert.Equal(Sha256Response, credentials.Response);
        Assert.Equal("FQhe/qaU925kfnkeU5QqiWRuk8rdgg8GIqlgfK_5qzg", credentials.Opaque);
        Assert.False(credentials.UserHash);
    }

    [Fact]
    public void ToHeaderValue_Rfc7616Example_RoundTrips()
    {
        Assert.True(DigestCredentials.TryParse(Rfc7616Sha256, out var credentials, out _));

        var expected = "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", algorithm=SHA-256, "
            + "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001, cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", "
            + "qop=auth, response=\"" + Sha256Response + "\", opaque=\"FQhe/qaU925kfnkeU5QqiWRuk8rdgg8GIqlgfK_5qzg\"";
        Assert.Equal(expected, credentials.ToHeaderValue());
    }

    [Fact]
    public void ToString_Always_RedactsResponse()
    {
        Assert.True(DigestCredentials.TryParse(Rfc7616Sha256, out var credentials, out _));

        var text = credentials.ToString();

        Assert.DoesNotContain(Sha256Response, text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("response=<redacted>", text, StringComparison.Ordinal);
        Assert.Contains("username=\"Mufasa\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-digest", DigestCredentials.Create("u", "r", "n", "sip:x", "secret-digest").ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("abc", DigestCredentials.TryParse("Digest RESPONSE=abc", out var upper, out _) ? upper.ToString() : "abc", StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Rfc7616UserHashExample_Parses()
    {
        Assert.True(DigestCredentials.TryParse(Rfc7616UserHash, out var credentials, out var error), error);

        Assert.True(credentials.UserHash);
        Assert.Equal("488869477bf257147b804c45308cd62ac4e25eb717b12b298c79e62dcea254ec", credentials.Username);
        Assert.Equal("SHA-512-256", credentials.Algorithm);
        Assert.EndsWith(", userhash=true", credentials.ToHeaderValue(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_SipUriAndQuotedQopFromLenientClient_Accepted()
    {
        // Many UAs quote qop and algorithm in credentials; values are kept and written per RFC 7616.
        var text = "Digest username=\"bob\", realm=\"biloxi.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
            + "uri=\"sip:bob@biloxi.com\", qop=\"auth\", algorithm=\"MD5\", nc=0000000A, cnonce=\"0a4f113b\", "
            + "response=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", x-ext=\"v\"";

        Assert.True(DigestCredentials.TryParse(text, out var credentials, out var error), error);

        Assert.Equal("sip:bob@biloxi.com", credentials.Uri);
        Assert.Equal("auth", credentials.Qop);
        Assert.Equal("MD5", credentials.Algorithm);
        Assert.Equal("0000000A", credentials.NonceCount);
        Assert.Equal("v", credentials.Parameters["X-EXT"]);
        Assert.Contains("qop=auth, algorithm=MD5, nc=0000000A", credentials.ToHeaderValue(), StringComparison.Ordinal);
        Assert.Contains("x-ext=\"v\"", credentials.ToHeaderValue(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Rfc7616ExtendedUsername_KeptAsOtherParameter()
    {
        // RFC 7616 §3.4.4: username* carries an RFC 8187 ext-value, unquoted.
        var text = "Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm=\"api@example.org\", nonce=\"n\", uri=\"/doe.json\", response=\"r\"";

        Assert.True(DigestCredentials.TryParse(text, out var credentials, out var error), error);

        Assert.Null(credentials.Username);
        Assert.Equal("UTF-8''J%C3%A4s%C3%B8n%20Doe", credentials.Parameters["username*"]);
        Assert.Equal(text, credentials.ToHeaderValue());
    }

    [Fact]
    public void Create_OwnCredentials_RoundTrips()
    {
        var credentials = DigestCredentials.Create("trunk", "carrier.example", "abc", "sip:+441632960000@carrier.example", "0123abcd",
            algorithm: "SHA-256", cnonce: "c", opaque: "o", qop: "auth", nonceCount: "00000001");

        Assert.Equal(
            "Digest username=\"trunk\", realm=\"carrier.example\", nonce=\"abc\", uri=\"sip:+441632960000@carrier.example\", "
            + "response=\"0123abcd\", algorithm=SHA-256, cnonce=\"c\", opaque=\"o\", qop=auth, nc=00000001",
            credentials.ToHeaderValue());
        Assert.True(DigestCredentials.TryParse(credentials.ToHeaderValue(), out var parsed, out _));
        Assert.Equal("0123abcd", parsed.Response);
        Assert.Throws<ArgumentException>(() => DigestCredentials.Create("u", "r", "n", "sip:x", "resp", nonceCount: "1"));
    }

    [Theory]
    [InlineData("Digest username=\"a\", username=\"b\"", "duplicate parameter 'username'")]
    [InlineData("Digest nc=1", "nc must be 8 hex digits")]
    [InlineData("Digest nc=0000000g", "nc must be 8 hex digits")]
    [InlineData("Digest username=\"a\",, response=\"b", "parameter 'response': unterminated quoted string")]
    [InlineData("Digest username=\"a\\", "parameter 'username': bad escape in quoted string")]
    public void TryParse_Invalid_ReturnsFalseWithReason(string text, string expected)
    {
        Assert.False(DigestCredentials.TryParse(text, out var credentials, out var error));
        Assert.Null(credentials);
        Assert.Equal(expected, error);
    }
}

using System.Security.Cryptography;
using System.Text;
using SipTrunk.Core.Auth;
using SipTrunk.Sip.Auth;
using SipTrunk.Sip.Headers;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Auth;

public class DigestClientAuthenticatorTests
{
    // RFC 2617 §3.5.
    private const string Rfc2617Challenge =
        "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

    // RFC 7616 §3.9.1 (with erratum 4495: the password is "Circle of Life").
    private const string Rfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string Rfc7616Opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
    private const string Rfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    [Fact]
    public void TryCreateCredentials_Rfc2617Section3_5_ProducesThePublishedAuthorization()
    {
        var created = DigestClientAuthenticator.TryCreateCredentials(
            ParseChallenge(Rfc2617Challenge), "GET", "/dir/index.html", "Mufasa", "Circle Of Life", [], () => "0a4f113b", out var header, out var error);

        Assert.True(created, error);
        Assert.Equal(
            "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
            + "uri=\"/dir/index.html\", response=\"6629fae49393a05397450978507c4ef1\", cnonce=\"0a4f113b\", "
            + "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", qop=auth, nc=00000001",
            header);
    }

    [Theory]
    [InlineData("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    [InlineData("MD5", "8ca523f5e9506fed4657c9700eebdbec")]
    public void TryCreateCredentials_Rfc7616Section3_9_1_ProducesThePublishedResponse(string algorithm, string expectedResponse)
    {
        var challenge = ParseChallenge(
            $"Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm={algorithm}, nonce=\"{Rfc7616Nonce}\", opaque=\"{Rfc7616Opaque}\"");

        var created = DigestClientAuthenticator.TryCreateCredentials(
            challenge, "GET", "/dir/index.html", "Mufasa", "Circle of Life", [], () => Rfc7616Cnonce, out var header, out var error);

        Assert.True(created, error);
        var credentials = ParseCredentials(header);
        Assert.Equal(expectedResponse, credentials.Response);
        Assert.Equal(algorithm, credentials.Algorithm);
        Assert.Equal("auth", credentials.Qop);
        Assert.Equal("00000001", credentials.NonceCount);
        Assert.Equal(Rfc7616Cnonce, credentials.Cnonce);
        Assert.Equal(Rfc7616Opaque, credentials.Opaque);
        Assert.Equal("http-auth@example.org", credentials.Realm);
        Assert.Equal("/dir/index.html", credentials.Uri);
    }

    [Theory]
    [InlineData("MD5", DigestAlgorithm.Md5)]
    [InlineData("sha-256", DigestAlgorithm.Sha256)]
    [InlineData("SHA-512-256", DigestAlgorithm.Sha512_256)]
    public void TryCreateCredentials_AnyAlgorithm_VerifiesWithDigestMathAsAServerWould(string token, DigestAlgorithm algorithm)
    {
        var challenge = DigestChallenge.Create("carrier.example.com", "b64nonce/+=", token, ["auth"], "opaque-1");

        Assert.True(DigestClientAuthenticator.TryCreateCredentials(
            challenge, "INVITE", "sip:+441632960123@carrier.example.com", "trunk-7", "p\u00e4ss \"word\"", [], out var header, out var error), error);

        var credentials = ParseCredentials(header);
        Assert.Equal("trunk-7", credentials.Username);
        Assert.Equal(DigestAlgorithms.ToToken(algorithm), credentials.Algorithm);
        var ha1 = DigestMath.ComputeHa1(algorithm, "trunk-7", "carrier.example.com", "p\u00e4ss \"word\"");
        var ha2 = DigestMath.ComputeHa2(algorithm, "INVITE", credentials.Uri!);
        var expected = DigestMath.ComputeResponse(algorithm, ha1, credentials.Nonce!, credentials.NonceCount, credentials.Cnonce, credentials.Qop, ha2);
        Assert.True(DigestMath.FixedTimeEqualsHex(expected, credentials.Response));
        Assert.Equal(2 * DigestAlgorithms.HashSizeInBytes(algorithm), credentials.Response!.Length);

        var wrongHa1 = DigestMath.ComputeHa1(algorithm, "trunk-7", "carrier.example.com", "wrong");
        var wrong = DigestMath.ComputeResponse(algorithm, wrongHa1, credentials.Nonce!, credentials.NonceCount, credentials.Cnonce, credentials.Qop, ha2);
        Assert.False(DigestMath.FixedTimeEqualsHex(wrong, credentials.Response));
    }

    [Fact]
    public void TryCreateCredentials_ChallengeWithoutQop_UsesRfc2069FormWithoutCnonce()
    {
        var challenge = ParseChallenge("Digest realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\"");

        Assert.True(DigestClientAuthenticator.TryCreateCredentials(
            challenge, "GET", "/dir/index.html", "Mufasa", "Circle Of Life", [], () => throw new InvalidOperationException("no cnonce needed"), out var header, out var error), error);

        var credentials = ParseCredentials(header);
        Assert.Equal("670fd8c2df070c60b045671b8b24ff02", credentials.Response);
        Assert.Null(credentials.Qop);
        Assert.Null(credentials.Cnonce);
        Assert.Null(credentials.NonceCount);
        Assert.Null(credentials.Opaque);
        Assert.Null(credentials.Algorithm);
    }

    [Fact]
    public void TryCreateCredentials_OnlyAuthIntOffered_HashesTheBodyIntoHa2()
    {
        var body = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n"u8.ToArray();
        var challenge = ParseChallenge("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\", algorithm=MD5");

        Assert.True(DigestClientAuthenticator.TryCreateCredentials(
            challenge, "INVITE", "sip:bob@r", "alice", "secret", body, () => "c1", out var header, out var error), error);

        // RFC 7616 §3.4.3 and RFC 2617 §3.2.2.3, computed here without DigestMath.
        var ha1 = Md5Hex(Encoding.UTF8.GetBytes("alice:r:secret"));
        var ha2 = Md5Hex(Encoding.UTF8.GetBytes($"INVITE:sip:bob@r:{Md5Hex(body)}"));
        var expected = Md5Hex(Encoding.UTF8.GetBytes($"{ha1}:n:00000001:c1:auth-int:{ha2}"));
        var credentials = ParseCredentials(header);
        Assert.Equal("auth-int", credentials.Qop);
        Assert.Equal(expected, credentials.Response);
    }

    [Fact]
    public void HashBody_Sha512_256_MatchesFips180Example()
    {
        // FIPS 180-4 example "abc" for SHA-512/256 (NIST CSRC example values).
        Assert.Equal(
            "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23",
            DigestClientAuthenticator.HashBody(DigestAlgorithm.Sha512_256, "abc"u8));
    }

    [Theory]
    [InlineData(DigestAlgorithm.Md5)]
    [InlineData(DigestAlgorithm.Sha256)]
    public void HashBody_BclAlgorithms_MatchTheFramework(DigestAlgorithm algorithm)
    {
        var body = "some body"u8.ToArray();
#pragma warning disable CA5351
        var expected = algorithm == DigestAlgorithm.Md5 ? MD5.HashData(body) : SHA256.HashData(body);
#pragma warning restore CA5351

        Assert.Equal(Convert.ToHexStringLower(expected), DigestClientAuthenticator.HashBody(algorithm, body));
    }

    [Theory]
    [InlineData("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-1", "'SHA-1'")]
    [InlineData("Digest realm=\"r\", nonce=\"n\", algorithm=MD5-sess", "session")]
    [InlineData("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256-sess", "session")]
    [InlineData("Basic realm=\"r\", nonce=\"n\"", "Basic")]
    [InlineData("Digest realm=\"r\"", "nonce")]
    [InlineData("Digest nonce=\"n\"", "realm")]
    [InlineData("Digest realm=\"r\", nonce=\"n\", qop=\"auth-conf\"", "qop")]
    public void TryCreateCredentials_UnsupportedChallenge_RefusesWithReason(string value, string reason)
    {
        var created = DigestClientAuthenticator.TryCreateCredentials(
            ParseChallenge(value), "INVITE", "sip:x@r", "u", "p", [], () => "c", out var header, out var error);

        Assert.False(created);
        Assert.Null(header);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreateCredentials_UsernameWithLineBreak_RefusesInsteadOfThrowing()
    {
        var challenge = DigestChallenge.Create("r", "n", qop: ["auth"]);

        Assert.False(DigestClientAuthenticator.TryCreateCredentials(challenge, "INVITE", "sip:x@r", "u\r\nX-Evil: 1", "p", [], out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void TryCreateCredentials_DefaultCnonce_IsFreshRandomHexEachTime()
    {
        var challenge = DigestChallenge.Create("r", "n", qop: ["auth"]);

        Assert.True(DigestClientAuthenticator.TryCreateCredentials(challenge, "INVITE", "sip:x@r", "u", "p", [], out var first, out _));
        Assert.True(DigestClientAuthenticator.TryCreateCredentials(challenge, "INVITE", "sip:x@r", "u", "p", [], out var second, out _));

        var cnonce1 = ParseCredentials(first).Cnonce;
        var cnonce2 = ParseCredentials(second).Cnonce;
        Assert.Matches("^[0-9a-f]{32}$", cnonce1);
        Assert.Matches("^[0-9a-f]{32}$", cnonce2);
        Assert.NotEqual(cnonce1, cnonce2);
    }

    [Fact]
    public void TryCreateCredentials_EmptyCnonceFromFactory_Refuses()
    {
        var challenge = DigestChallenge.Create("r", "n", qop: ["auth"]);

        Assert.False(DigestClientAuthenticator.TryCreateCredentials(challenge, "INVITE", "sip:x@r", "u", "p", [], () => "", out _, out var error));
        Assert.Contains("cnonce", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SHA-512-256", "MD5", "SHA-256", "SHA-512-256")]
    [InlineData("MD5", "SHA-256", null, "SHA-256")]
    [InlineData(null, "SHA-1", "MD5-sess", null)]
    [InlineData("SHA-512-256-sess", "SHA-256", "MD5", "SHA-256")]
    public void TrySelectChallenge_SeveralAlgorithms_PicksTheStrongestSupported(string? first, string? second, string? third, string? expected)
    {
        var values = new[] { first, second, third }
            .Select((algorithm, i) => $"Digest realm=\"r\", nonce=\"n{i}\", qop=\"auth\"" + (algorithm is null ? "" : $", algorithm={algorithm}"))
            .ToArray();

        Assert.True(DigestClientAuthenticator.TrySelectChallenge(values, out var challenge, out var error), error);

        Assert.Equal(expected, challenge.Algorithm);
    }

    [Fact]
    public void TrySelectChallenge_SameAlgorithm_PrefersQopAuth()
    {
        string[] values =
        [
            "Digest realm=\"r\", nonce=\"plain\", algorithm=SHA-256",
            "Digest realm=\"r\", nonce=\"int\", algorithm=SHA-256, qop=\"auth-int\"",
            "Digest realm=\"r\", nonce=\"auth\", algorithm=SHA-256, qop=\"auth-int,auth\"",
            "Digest realm=\"r\", nonce=\"second\", algorithm=SHA-256, qop=\"auth\"",
        ];

        Assert.True(DigestClientAuthenticator.TrySelectChallenge(values, out var challenge, out _));

        Assert.Equal("auth", challenge.Nonce);
    }

    [Fact]
    public void TrySelectChallenge_NothingSupported_ExplainsEachRefusal()
    {
        string[] values = ["Basic realm=\"r\"", "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-1", "Digest"];

        Assert.False(DigestClientAuthenticator.TrySelectChallenge(values, out var challenge, out var error));

        Assert.Null(challenge);
        Assert.Contains("Basic", error, StringComparison.Ordinal);
        Assert.Contains("SHA-1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TrySelectChallenge_NoValues_Fails()
    {
        Assert.False(DigestClientAuthenticator.TrySelectChallenge([], out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void TrySelectChallenge_401WithTwoChallenges_ChoosesSha256ForAuthorization()
    {
        var response = ParseResponse(
            "SIP/2.0 401 Unauthorized",
            "WWW-Authenticate: Digest realm=\"carrier\", nonce=\"m\", algorithm=MD5, qop=\"auth\"",
            "WWW-Authenticate: Digest realm=\"carrier\", nonce=\"s\", algorithm=SHA-256, qop=\"auth\"");

        Assert.True(DigestClientAuthenticator.TrySelectChallenge(response, out var challenge, out var header, out var error), error);

        Assert.Equal("s", challenge.Nonce);
        Assert.Equal(HeaderId.Authorization, header);
    }

    [Fact]
    public void TrySelectChallenge_407_UsesProxyAuthenticateForProxyAuthorization()
    {
        var response = ParseResponse(
            "SIP/2.0 407 Proxy Authentication Required",
            "WWW-Authenticate: Digest realm=\"other\", nonce=\"w\", algorithm=SHA-512-256",
            "Proxy-Authenticate: Digest realm=\"caf\u00e9\", nonce=\"p\", qop=\"auth\"");

        Assert.True(DigestClientAuthenticator.TrySelectChallenge(response, out var challenge, out var header, out var error), error);

        Assert.Equal("p", challenge.Nonce);
        Assert.Equal("caf\u00e9", challenge.Realm);
        Assert.Equal(HeaderId.ProxyAuthorization, header);
    }

    [Theory]
    [InlineData("SIP/2.0 407 Proxy Authentication Required", "WWW-Authenticate")]
    [InlineData("SIP/2.0 401 Unauthorized", "Proxy-Authenticate")]
    [InlineData("SIP/2.0 403 Forbidden", "WWW-Authenticate")]
    public void TrySelectChallenge_NoChallengeInTheRightHeader_Fails(string statusLine, string headerName)
    {
        var response = ParseResponse(statusLine, $"{headerName}: Digest realm=\"r\", nonce=\"n\"");

        Assert.False(DigestClientAuthenticator.TrySelectChallenge(response, out var challenge, out _, out var error));
        Assert.Null(challenge);
        Assert.NotNull(error);
    }

    private static DigestChallenge ParseChallenge(string value)
    {
        Assert.True(DigestChallenge.TryParse(value, out var challenge, out var error), error);
        return challenge;
    }

    private static DigestCredentials ParseCredentials(string? value)
    {
        Assert.NotNull(value);
        Assert.True(DigestCredentials.TryParse(value, out var credentials, out var error), error);
        Assert.Equal("Digest", credentials.Scheme);
        return credentials;
    }

    private static SipResponse ParseResponse(string statusLine, params string[] headers)
    {
        var text = string.Join(
            "\r\n",
            [
                statusLine,
                "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK-1",
                "From: <sip:trunk@127.0.0.1>;tag=a",
                "To: <sip:+441632960123@127.0.0.1>;tag=b",
                "Call-ID: digest-test",
                "CSeq: 1 INVITE",
                .. headers,
                "Content-Length: 0",
                "",
                "",
            ]);
        var result = SipParser.Parse(Encoding.UTF8.GetBytes(text));
        Assert.True(result.Success, result.Error);
        return Assert.IsType<SipResponse>(result.Message);
    }

    private static string Md5Hex(byte[] data)
    {
#pragma warning disable CA5351
        return Convert.ToHexStringLower(MD5.HashData(data));
#pragma warning restore CA5351
    }
}

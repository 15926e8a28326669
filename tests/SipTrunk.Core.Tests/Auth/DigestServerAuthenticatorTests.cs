using Microsoft.Extensions.Time.Testing;
using SipTrunk.Core.Auth;
using SipTrunk.Core.Tests.Transactions;
using SipTrunk.Sip.Auth;
using SipTrunk.Sip.Headers;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Auth;

public class DigestServerAuthenticatorTests
{
    private const string Realm = "sip.example.com";
    private const string User = "alice";
    private const string Password = "secret";
    private const string Cnonce = "0a4f113b";

    // The Request-URI of SipText.Request.
    private const string RequestUri = "sip:+15551234@carrier.example.com";

    // Computed independently with Python (hashlib/hmac/base64): key = bytes 1..32, issued at 2025-01-01T00:00:00Z
    // (1735689600000 ms), random part 01..08; HMAC-SHA256 tag truncated to 16 bytes; base64url without padding.
    private const string HandMadeNonce = "AAABlB8pfAABAgMEBQYHCNfIw_1Zph7a-SYjBBsauWE";

    // md5("alice:sip.example.com:secret").
    private const string HandMadeHa1Md5 = "a0bbf6034b8565747c15ee9850d9215a";

    // md5(HA1 ":" nonce ":00000001:0a4f113b:auth:" md5("INVITE:sip:+15551234@carrier.example.com")).
    private const string HandMadeResponse = "4f26143c8a5a335ef403c2b2abbe5a2a";

    private static readonly byte[] FixedKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly DigestServerSettings Settings = new() { Realm = Realm };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static PeerCredentials Alice => new(
        User,
        DigestMath.ComputeHa1(DigestAlgorithm.Sha256, User, Realm, Password),
        DigestMath.ComputeHa1(DigestAlgorithm.Md5, User, Realm, Password));

    [Fact]
    public void CreateChallenges_DefaultAlgorithms_OnePerAlgorithmSha256First()
    {
        var challenges = Parse(Authenticator().CreateChallenges(stale: false));

        Assert.Equal(["SHA-256", "MD5"], challenges.Select(c => c.Algorithm));
        Assert.All(challenges, c =>
        {
            Assert.Equal("Digest", c.Scheme);
            Assert.Equal(Realm, c.Realm);
            Assert.Equal(["auth"], c.Qop);
            Assert.False(c.Stale);
            Assert.Null(c.Parameters["stale"]);
        });
        Assert.NotEqual(challenges[0].Nonce, challenges[1].Nonce);
    }

    [Fact]
    public void CreateChallenges_Format_IsTheRfc7616Shape()
    {
        var value = Authenticator(Settings with { Algorithms = [DigestAlgorithm.Sha256] }).CreateChallenges(stale: true).Single();
        var nonce = Parse([value])[0].Nonce;

        Assert.Equal($"Digest realm=\"{Realm}\", nonce=\"{nonce}\", algorithm=SHA-256, qop=\"auth\", stale=true", value);
    }

    [Fact]
    public void CreateChallenges_Md5NotConfigured_OffersNoMd5()
    {
        var challenges = Parse(Authenticator(Settings with { Algorithms = [DigestAlgorithm.Sha256] }).CreateChallenges(stale: false));

        Assert.Equal(["SHA-256"], challenges.Select(c => c.Algorithm));
    }

    [Theory]
    [InlineData(true, false, "SHA-256")]
    [InlineData(false, true, "MD5")]
    [InlineData(true, true, "SHA-256,MD5")]
    public void CreateChallenges_ForAPeer_OnlyAlgorithmsItHasAnHa1For(bool sha256, bool md5, string expected)
    {
        var credentials = new PeerCredentials("alice", sha256 ? new string('a', 64) : null, md5 ? new string('b', 32) : null);

        var challenges = Parse(Authenticator().CreateChallenges(stale: false, credentials));

        Assert.Equal(expected.Split(','), challenges.Select(c => c.Algorithm));
    }

    [Fact]
    public void CreateChallenges_Stale_MarksEveryChallenge()
    {
        var challenges = Parse(Authenticator().CreateChallenges(stale: true));

        Assert.Equal(2, challenges.Count);
        Assert.All(challenges, c => Assert.True(c.Stale));
    }

    [Theory]
    [InlineData(DigestAlgorithm.Sha256)]
    [InlineData(DigestAlgorithm.Md5)]
    public void Verify_OurClientsAnswer_Authenticated(DigestAlgorithm algorithm)
    {
        var server = Authenticator();
        var header = ClientAnswer(Challenge(server, algorithm));

        var result = server.Verify(Invite(header), HeaderId.ProxyAuthorization, Alice);

        Assert.Equal(DigestOutcome.Authenticated, result.Outcome);
        Assert.Equal(User, result.Username);
        Assert.False(result.IsFailure);
        Assert.Equal(DigestAlgorithms.ToToken(algorithm), Credentials(header).Algorithm);
    }

    [Fact]
    public void Verify_ClientChoosingAmongAllChallenges_PicksSha256AndIsAuthenticated()
    {
        var server = Authenticator();
        Assert.True(DigestClientAuthenticator.TrySelectChallenge(server.CreateChallenges(stale: false), out var challenge, out var error), error);
        var header = ClientAnswer(challenge);

        Assert.Equal("SHA-256", Credentials(header).Algorithm);
        Assert.Equal(DigestOutcome.Authenticated, server.Verify(Invite(header), HeaderId.ProxyAuthorization, Alice).Outcome);
    }

    [Fact]
    public void Verify_HandComputedMd5Vector_Authenticated()
    {
        var server = new DigestServerAuthenticator(Settings, FixedKey, _time);
        var header = $"Digest username=\"{User}\", realm=\"{Realm}\", nonce=\"{HandMadeNonce}\", uri=\"{RequestUri}\", "
            + $"response=\"{HandMadeResponse}\", algorithm=MD5, cnonce=\"{Cnonce}\", qop=auth, nc=00000001";

        var result = server.Verify(Invite(header), HeaderId.ProxyAuthorization, new PeerCredentials(User, null, HandMadeHa1Md5));

        Assert.Equal(DigestOutcome.Authenticated, result.Outcome);
        Assert.Equal(HandMadeHa1Md5, DigestMath.ComputeHa1(DigestAlgorithm.Md5, User, Realm, Password));
    }

    [Fact]
    public void Verify_HandComputedMd5VectorWithOneDigitChanged_Invalid()
    {
        var server = new DigestServerAuthenticator(Settings, FixedKey, _time);
        var header = $"Digest username=\"{User}\", realm=\"{Realm}\", nonce=\"{HandMadeNonce}\", uri=\"{RequestUri}\", "
            + $"response=\"{HandMadeResponse[..^1]}b\", algorithm=MD5, cnonce=\"{Cnonce}\", qop=auth, nc=00000001";

        var result = server.Verify(Invite(header), HeaderId.ProxyAuthorization, new PeerCredentials(User, null, HandMadeHa1Md5));

        Assert.Equal(DigestOutcome.Invalid, result.Outcome);
    }

    [Fact]
    public void Verify_AbsentAlgorithmParameter_MeansMd5()
    {
        var server = Authenticator();
        var nonce = Challenge(server, DigestAlgorithm.Md5).Nonce!;
        var header = Answer(DigestAlgorithm.Md5, nonce, writeAlgorithm: false);

        Assert.Null(Credentials(header).Algorithm);
        Assert.Equal(DigestOutcome.Authenticated, server.Verify(Invite(header), HeaderId.ProxyAuthorization, Alice).Outcome);
    }

    [Fact]
    public void Verify_RegisterWithAuthorization_Authenticated()
    {
        var server = Authenticator();
        var header = ClientAnswer(Challenge(server, DigestAlgorithm.Sha256), method: "REGISTER");
        var request = SipText.ParseRequest(SipText.Request("REGISTER", "z9hG4bKreg", extraHeaders: $"Authorization: {header}\r\n"));

        Assert.Equal(DigestOutcome.Authenticated, server.Verify(request, HeaderId.Authorization, Alice).Outcome);
        Assert.Equal(DigestOutcome.Missing, server.Verify(request, HeaderId.ProxyAuthorization, Alice).Outcome);
    }

    [Fact]
    public void Verify_NoCredentials_Missing()
    {
        var result = Authenticator().Verify(Invite(null), HeaderId.ProxyAuthorization, Alice);

        Assert.Equal(DigestOutcome.Missing, result.Outcome);
        Assert.False(result.IsFailure);
    }

    [Fact]
    public void Verify_CredentialsForAnotherRealmOnly_Missing()
    {
        var other = Authenticator(new DigestServerSettings { Realm = "other.example.net" });
        var header = ClientAnswer(Challenge(other, DigestAlgorithm.Sha256));

        Assert.Equal(DigestOutcome.Missing, Authenticator().Verify(Invite(header), HeaderId.ProxyAuthorization, Alice).Outcome);
    }

    [Fact]
    public void Verify_CredentialsForSeveralRealms_ChecksOurs()
    {
        var server = Authenticator();
        var other = Authenticator(new DigestServerSettings { Realm = "other.example.net" });
        var theirs = ClientAnswer(Challenge(other, DigestAlgorithm.Sha256), password: "their-password");
        var ours = ClientAnswer(Challenge(server, DigestAlgorithm.Sha256));
        var request = SipText.ParseRequest(SipText.Request(
            "INVITE", "z9hG4bK1", extraHeaders: $"Proxy-Authorization: {theirs}\r\nProxy-Authorization: {ours}\r\n"));

        Assert.Equal(DigestOutcome.Authenticated, server.Verify(request, HeaderId.ProxyAuthorization, Alice).Outcome);
    }

    [Fact]
    public void Verify_WrongPassword_InvalidWithoutSecretsInTheDetail()
    {
        var server = Authenticator();
        var header = ClientAnswer(Challenge(server, DigestAlgorithm.Sha256), password: "guess");
        var credentials = Credentials(header);

        var result = server.Verify(Invite(header), HeaderId.ProxyAuthorization, Alice);

        Assert.Equal(DigestOutcome.Invalid, result.Outcome);
        Assert.True(result.IsFailure);
        Assert.Equal("wrong response", result.Detail);
        Assert.DoesNotContain(credentials.Response!, result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(credentials.Cnonce!, result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Alice.Ha1Sha256!, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_WrongUser_WrongUserNamingTheUsername()
    {
        var server = Authenticator();
        var header = ClientAnswer(Challenge(server, DigestAlgorithm.Sha256), username: "bob");

        var result = server.Verify(Invite(header), HeaderId.ProxyAuthorization, Alice);

        Assert.Equal(DigestOutcome.WrongUser, result.Outcome);
        Assert.Equal("bob", result.Username);
        Assert.Equal("username 'bob' is not this peer's", result.Detail);
    }

    [Fact]
    public void Verify_UsernameDiffersOnlyInCase_WrongUser()
    {
        var server = Authenticator();
        var header = ClientAnswer(Challenge(server, DigestAlgorithm.Sha256), username: "Alice");

        Assert.Equal(DigestOutcome.WrongUser, server.Verify(Invite(header), HeaderId.ProxyAuthorization, Alice).Outcome);
    }

    [Fact]
    public void Verify_DigestUriNotTheRequestUri_Malformed()
    {
        var server = Authenticator();
        var header = ClientAnswer(Challenge(server, DigestAlgorithm.Sha256), uri: "sip:+15559999@carrier.example.com");

        var result = server.Verify(Invite(header), HeaderId.ProxyAuthorization, Alice);

        Assert.Equal(DigestOutcome.Malformed, result.Outcome);
        Assert.Equal("digest uri is not the Request-URI", result.Detail);
    }

    [Fact]
    public void Verify_UppercaseHa1Configured_Authenticated()
    {
        var server = Authenticator();
        var header = ClientAnswer(Challenge(server, DigestAlgorithm.Sha256));
        var upper = Alice with { Ha1Sha256 = Alice.Ha1Sha256!.ToUpperInvariant() };

        Assert.Equal(DigestOutcome.Authenticated, server.Verify(Invite(header), HeaderId.ProxyAuthorization, upper).Outcome);
    }

    [Fact]
    public void Verify_AfterNonceLifetimeWithRightPassword_Stale()
    {
        var server = Authenticator();
        var header = ClientAnswer(Challenge(server, DigestAlgorithm.Sha256));
        _time.Advance(Settings.NonceLifetime + TimeSpan.FromMilliseconds(1));

        var result = server.Verify(Invite(header), HeaderId.ProxyAuthorization, Alice);

        Assert.Equal(DigestOutcome.Stale, result.Outcome);
        Assert.False(result.IsFailure);
    }

    [Fact]
    public void Verify_JustWithinNonceLifetime_Authenticated()
    {
        var server = Authenticator();
        var header = ClientAnswer(Challenge(server, DigestAlgorithm.Sha256));
        _time.Advance(Settings.NonceLifetime);

        Assert.Equal(DigestOutcome.Authenticated, server.Verify(Invite(header), HeaderId.ProxyAuthorization, Alice).Outcome);
    }

    [Fact]
    public void Verify_AfterNonceLifetimeWithWrongPassword_InvalidNotStale()
    {
        var server = Authenticator();
        var header = ClientAnswer(Challenge(server, DigestAlgorithm.Sha256), password: "guess");
        _time.Advance(Settings.NonceLifetime + TimeSpan.FromSeconds(1));

        Assert.Equal(DigestOutcome.Invalid, server.Verify(Invite(header), HeaderId.ProxyAuthorization, Alice).Outcome);
    }

    [Theory]
    [InlineData("AAABlB8pfAABAgMEBQYHCNfIw_1Zph7a-SYjBBsauWE")]
    [InlineData("AAABlB8pfAABAgMEBQYHCNfIw_1Zph7a-SYjBBsauW")]
    [InlineData("AAABlB8pfAABAgMEBQYHCNfIw_1Zph7a-SYjBBsauWEA")]
    [InlineData("AAABlB8pfAABAgMEBQYHCNfIw_1Zph7a-SYjBBsauW!")]
    [InlineData("dcd98b7102dd2f0e8b11d0f600bfb0c093")]
    [InlineData("x")]
    public void Verify_NonceNotSignedByOurKey_Invalid(string nonce)
    {
        // The first value is a good nonce under FixedKey, but this server has a random key.
        var server = Authenticator();
        var header = Answer(DigestAlgorithm.Sha256, nonce);

        var result = server.Verify(Invite(header), HeaderId.ProxyAuthorization, Alice);

        Assert.Equal(DigestOutcome.Invalid, result.Outcome);
        Assert.Equal("nonce not issued by this server", result.Detail);
    }

    [Fact]
    public void Verify_NonceWithOneCharacterChanged_Invalid()
    {
        var server = Authenticator();
        var nonce = Challenge(server, DigestAlgorithm.Sha256).Nonce!;
        var forged = string.Concat(nonce[..10], nonce[10] == 'A' ? "B" : "A", nonce[11..]);

        Assert.Equal(DigestOutcome.Authenticated, server.Verify(Invite(Answer(DigestAlgorithm.Sha256, nonce)), HeaderId.ProxyAuthorization, Alice).Outcome);
        Assert.Equal(DigestOutcome.Invalid, server.Verify(Invite(Answer(DigestAlgorithm.Sha256, forged)), HeaderId.ProxyAuthorization, Alice).Outcome);
    }

    [Fact]
    public void Verify_NonceFromAnotherKey_InvalidButFromTheSameKeyOnAnotherNode_Authenticated()
    {
        var otherKey = Authenticator();
        var sameKey = new DigestServerAuthenticator(Settings, FixedKey, _time);
        var server = new DigestServerAuthenticator(Settings, FixedKey, _time);

        var foreign = ClientAnswer(Challenge(otherKey, DigestAlgorithm.Sha256));
        var shared = ClientAnswer(Challenge(sameKey, DigestAlgorithm.Sha256));

        Assert.Equal(DigestOutcome.Invalid, server.Verify(Invite(foreign), HeaderId.ProxyAuthorization, Alice).Outcome);
        Assert.Equal(DigestOutcome.Authenticated, server.Verify(Invite(shared), HeaderId.ProxyAuthorization, Alice).Outcome);
    }

    [Fact]
    public void Verify_SameNonceCountTwice_Replayed()
    {
        var server = Authenticator();
        var request = Invite(ClientAnswer(Challenge(server, DigestAlgorithm.Sha256)));

        Assert.Equal(DigestOutcome.Authenticated, server.Verify(request, HeaderId.ProxyAuthorization, Alice).Outcome);
        var replay = server.Verify(request, HeaderId.ProxyAuthorization, Alice);

        Assert.Equal(DigestOutcome.Replayed, replay.Outcome);
        Assert.True(replay.IsFailure);
        Assert.Equal("nonce count replayed", replay.Detail);
    }

    [Fact]
    public void Verify_HigherNonceCount_AuthenticatedAndLowerOneThenReplayed()
    {
        var server = Authenticator();
        var nonce = Challenge(server, DigestAlgorithm.Sha256).Nonce!;

        Assert.Equal(DigestOutcome.Authenticated, Check(server, Answer(DigestAlgorithm.Sha256, nonce, nonceCount: "00000001")));
        Assert.Equal(DigestOutcome.Authenticated, Check(server, Answer(DigestAlgorithm.Sha256, nonce, nonceCount: "0000000a")));
        Assert.Equal(DigestOutcome.Replayed, Check(server, Answer(DigestAlgorithm.Sha256, nonce, nonceCount: "00000009")));
        Assert.Equal(DigestOutcome.Authenticated, Check(server, Answer(DigestAlgorithm.Sha256, nonce, nonceCount: "0000000B")));
    }

    [Fact]
    public void Verify_NonceCountZero_Replayed()
    {
        var server = Authenticator();
        var nonce = Challenge(server, DigestAlgorithm.Sha256).Nonce!;

        Assert.Equal(DigestOutcome.Replayed, Check(server, Answer(DigestAlgorithm.Sha256, nonce, nonceCount: "00000000")));
    }

    [Fact]
    public void Verify_NonceEvictedFromAFullTable_StaleNotReplayable()
    {
        var server = new DigestServerAuthenticator(Settings, FixedKey, _time, maxTrackedNonces: 1);
        var first = Challenge(server, DigestAlgorithm.Sha256).Nonce!;
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var second = Challenge(server, DigestAlgorithm.Sha256).Nonce!;

        Assert.Equal(DigestOutcome.Authenticated, Check(server, Answer(DigestAlgorithm.Sha256, first)));
        Assert.Equal(DigestOutcome.Authenticated, Check(server, Answer(DigestAlgorithm.Sha256, second)));

        // The first nonce's count is forgotten; replaying its request must not be accepted.
        Assert.Equal(DigestOutcome.Stale, Check(server, Answer(DigestAlgorithm.Sha256, first)));
        Assert.Equal(DigestOutcome.Replayed, Check(server, Answer(DigestAlgorithm.Sha256, second)));
    }

    [Fact]
    public void Verify_AlgorithmNotConfigured_Invalid()
    {
        var sha256Only = new DigestServerAuthenticator(Settings with { Algorithms = [DigestAlgorithm.Sha256] }, FixedKey, _time);
        var nonce = Challenge(sha256Only, DigestAlgorithm.Sha256).Nonce!;

        var result = sha256Only.Verify(Invite(Answer(DigestAlgorithm.Md5, nonce)), HeaderId.ProxyAuthorization, Alice);

        Assert.Equal(DigestOutcome.Invalid, result.Outcome);
        Assert.Equal("algorithm MD5 was not offered", result.Detail);
    }

    [Fact]
    public void Verify_UnknownAlgorithm_Invalid()
    {
        var server = Authenticator();
        var nonce = Challenge(server, DigestAlgorithm.Sha256).Nonce!;
        var header = Answer(DigestAlgorithm.Sha256, nonce).Replace("algorithm=SHA-256", "algorithm=SHA-1", StringComparison.Ordinal);

        Assert.Equal(DigestOutcome.Invalid, Check(server, header));
    }

    [Fact]
    public void Verify_NoHa1ForTheAlgorithm_Invalid()
    {
        var server = Authenticator();
        var header = ClientAnswer(Challenge(server, DigestAlgorithm.Md5));

        var result = server.Verify(Invite(header), HeaderId.ProxyAuthorization, Alice with { Ha1Md5 = null });

        Assert.Equal(DigestOutcome.Invalid, result.Outcome);
        Assert.Equal("no MD5 HA1 configured for this peer", result.Detail);
    }

    [Theory]
    [InlineData(null, "00000001", Cnonce, "qop=auth required")]
    [InlineData("auth-int", "00000001", Cnonce, "unsupported qop 'auth-int'")]
    [InlineData("auth", null, Cnonce, "qop=auth without nc or cnonce")]
    [InlineData("auth", "00000001", null, "qop=auth without nc or cnonce")]
    public void Verify_QopParametersMissingOrUnsupported_Malformed(string? qop, string? nonceCount, string? cnonce, string detail)
    {
        var server = Authenticator();
        var nonce = Challenge(server, DigestAlgorithm.Sha256).Nonce!;
        var header = DigestCredentials.Create(
            User, Realm, nonce, RequestUri, new string('0', 64), algorithm: "SHA-256", cnonce: cnonce, qop: qop, nonceCount: nonceCount).ToHeaderValue();

        var result = server.Verify(Invite(header), HeaderId.ProxyAuthorization, Alice);

        Assert.Equal(DigestOutcome.Malformed, result.Outcome);
        Assert.Equal(detail, result.Detail);
    }

    [Fact]
    public void Verify_Rfc2069AnswerWithoutQop_Malformed()
    {
        var server = Authenticator();
        var challenge = DigestChallenge.Create(Realm, Challenge(server, DigestAlgorithm.Md5).Nonce!, "MD5");
        var header = ClientAnswer(challenge);
        Assert.Null(Credentials(header).Qop);

        Assert.Equal(DigestOutcome.Malformed, Check(server, header));
    }

    [Fact]
    public void Verify_MissingResponse_Malformed()
    {
        var server = Authenticator();
        var nonce = Challenge(server, DigestAlgorithm.Sha256).Nonce!;
        var header = $"Digest username=\"{User}\", realm=\"{Realm}\", nonce=\"{nonce}\", uri=\"{RequestUri}\", algorithm=SHA-256, cnonce=\"{Cnonce}\", qop=auth, nc=00000001";

        Assert.Equal(DigestOutcome.Malformed, Check(server, header));
    }

    [Fact]
    public void Constructor_KeyShorterThan32Bytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DigestServerAuthenticator(Settings, new byte[31], _time));
    }

    private DigestServerAuthenticator Authenticator(DigestServerSettings? settings = null) =>
        DigestServerAuthenticator.CreateRandom(settings ?? Settings, _time);

    private static DigestOutcome Check(DigestServerAuthenticator server, string header) =>
        server.Verify(Invite(header), HeaderId.ProxyAuthorization, Alice).Outcome;

    private static DigestChallenge Challenge(DigestServerAuthenticator server, DigestAlgorithm algorithm) =>
        Parse(server.CreateChallenges(stale: false)).Single(c => c.Algorithm == DigestAlgorithms.ToToken(algorithm));

    private static List<DigestChallenge> Parse(IReadOnlyList<string> values) =>
        [.. values.Select(v => Assert.IsType<DigestChallenge>(DigestChallenge.TryParse(v, out var c, out var e) ? c : throw new InvalidOperationException(e)))];

    private static DigestCredentials Credentials(string header)
    {
        Assert.True(DigestCredentials.TryParse(header, out var credentials, out var error), error);
        return credentials;
    }

    private static string ClientAnswer(
        DigestChallenge challenge, string username = User, string password = Password, string uri = RequestUri, string method = "INVITE")
    {
        Assert.True(DigestClientAuthenticator.TryCreateCredentials(challenge, method, uri, username, password, [], out var header, out var error), error);
        return header;
    }

    // Credentials computed with DigestMath, for what our client never sends (other nonce counts, forged nonces).
    private static string Answer(DigestAlgorithm algorithm, string nonce, string nonceCount = "00000001", bool writeAlgorithm = true)
    {
        var ha1 = DigestMath.ComputeHa1(algorithm, User, Realm, Password);
        var ha2 = DigestMath.ComputeHa2(algorithm, "INVITE", RequestUri);
        var response = DigestMath.ComputeResponse(algorithm, ha1, nonce, nonceCount, Cnonce, "auth", ha2);
        return DigestCredentials.Create(
            User,
            Realm,
            nonce,
            RequestUri,
            response,
            algorithm: writeAlgorithm ? DigestAlgorithms.ToToken(algorithm) : null,
            cnonce: Cnonce,
            qop: "auth",
            nonceCount: nonceCount).ToHeaderValue();
    }

    private static SipRequest Invite(string? proxyAuthorization) =>
        SipText.ParseRequest(SipText.Request(
            "INVITE", "z9hG4bK1", extraHeaders: proxyAuthorization is null ? "" : $"Proxy-Authorization: {proxyAuthorization}\r\n"));
}

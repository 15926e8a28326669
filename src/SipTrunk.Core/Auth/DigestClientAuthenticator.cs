using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using SipTrunk.Sip.Auth;
using SipTrunk.Sip.Headers;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Auth;

/// <summary>
/// The client side of SIP digest authentication (RFC 3261 §22.2, §22.3; RFC 7616 §3.4; RFC 8760 algorithms): answers
/// a carrier's 401/407 challenge with Authorization or Proxy-Authorization credentials.
/// </summary>
/// <remarks>
/// Session algorithms (<c>MD5-sess</c>, …) are refused: <see cref="DigestMath"/> computes only the plain HA1 of
/// RFC 7616 §3.4.2, and guessing at the session form would produce credentials no one can check here. Each challenge
/// is answered once with nonce-count 1; a carrier that wants a fresh answer sends a fresh challenge.
/// </remarks>
public static class DigestClientAuthenticator
{
    /// <summary>The <c>nc</c> of the first request with a nonce (RFC 7616 §3.4: the count starts at 1).</summary>
    public const string FirstNonceCount = "00000001";

    private const string QopAuth = "auth";
    private const string QopAuthInt = "auth-int";
    private const string SessionSuffix = "-sess";

    // 128 bits of randomness in the cnonce, as hex (RFC 7616 §5.4 wants it unpredictable).
    private const int CnonceHexLength = 32;

    /// <summary>
    /// Computes the credentials answering <paramref name="challenge"/> with a random cnonce from
    /// <see cref="RandomNumberGenerator"/>; see the overload taking a cnonce factory.
    /// </summary>
    public static bool TryCreateCredentials(
        DigestChallenge challenge,
        string method,
        string digestUri,
        string username,
        string password,
        ReadOnlySpan<byte> entityBody,
        [NotNullWhen(true)] out string? headerValue,
        [NotNullWhen(false)] out string? error) =>
        TryCreateCredentials(challenge, method, digestUri, username, password, entityBody, CreateCnonce, out headerValue, out error);

    /// <summary>
    /// Computes the credentials answering <paramref name="challenge"/>: the algorithm the challenge names (MD5 when
    /// absent; MD5, SHA-256 or SHA-512-256), <c>qop=auth</c> when offered, else <c>auth-int</c> when offered, else the
    /// RFC 2069 form without qop; nc=<see cref="FirstNonceCount"/>; the challenge's opaque echoed.
    /// </summary>
    /// <param name="challenge">The WWW-Authenticate or Proxy-Authenticate challenge to answer.</param>
    /// <param name="method">The request's method, e.g. <c>INVITE</c> (for an ACK or CANCEL, the INVITE's).</param>
    /// <param name="digestUri">The <c>uri</c> parameter: the Request-URI exactly as sent (RFC 3261 §22.4).</param>
    /// <param name="username">The configured username.</param>
    /// <param name="password">The configured password.</param>
    /// <param name="entityBody">The message body, hashed into HA2 only for <c>qop=auth-int</c> (RFC 7616 §3.4.3).</param>
    /// <param name="cnonceFactory">Makes the client nonce; injected so tests can reproduce published examples.</param>
    /// <param name="headerValue">
    /// The Authorization or Proxy-Authorization value, quoted per RFC 7616 §3.4. It is text: a non-ASCII username or
    /// realm must be written as UTF-8 (RFC 3261 §7.3.1).
    /// </param>
    /// <param name="error">Why the challenge cannot be answered: not Digest, no realm or nonce, an unknown algorithm or qop.</param>
    public static bool TryCreateCredentials(
        DigestChallenge challenge,
        string method,
        string digestUri,
        string username,
        string password,
        ReadOnlySpan<byte> entityBody,
        Func<string> cnonceFactory,
        [NotNullWhen(true)] out string? headerValue,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(digestUri);
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(cnonceFactory);
        headerValue = null;
        if (!TryReadChallenge(challenge, out var algorithm, out var qop, out error))
        {
            return false;
        }

        string? cnonce = null;
        string? nonceCount = null;
        if (qop is not null)
        {
            cnonce = cnonceFactory();
            if (string.IsNullOrEmpty(cnonce))
            {
                error = "the cnonce factory returned an empty cnonce";
                return false;
            }

            nonceCount = FirstNonceCount;
        }

        var realm = challenge.Realm!;
        var nonce = challenge.Nonce!;
        var ha1 = DigestMath.ComputeHa1(algorithm, username, realm, password);

        // RFC 7616 §3.4.3: for auth-int, HA2 = H(method ":" uri ":" H(entity-body)). DigestMath joins its parts with
        // ':', so passing uri ":" H(body) as the URI yields exactly that input.
        var ha2 = qop == QopAuthInt
            ? DigestMath.ComputeHa2(algorithm, method, string.Concat(digestUri, ":", HashBody(algorithm, entityBody)))
            : DigestMath.ComputeHa2(algorithm, method, digestUri);
        var response = DigestMath.ComputeResponse(algorithm, ha1, nonce, nonceCount, cnonce, qop, ha2);
        try
        {
            headerValue = DigestCredentials.Create(
                username,
                realm,
                nonce,
                digestUri,
                response,
                algorithm: challenge.Algorithm is null ? null : DigestAlgorithms.ToToken(algorithm),
                cnonce: cnonce,
                opaque: challenge.Opaque,
                qop: qop,
                nonceCount: nonceCount).ToHeaderValue();
            return true;
        }
        catch (ArgumentException exception)
        {
            // A value that cannot be written into a header (CR or LF): a configuration or peer error, not a crash.
            error = exception.Message;
            return false;
        }
    }

    /// <summary>
    /// Chooses the challenge to answer in a 401 (WWW-Authenticate, answered with Authorization) or 407
    /// (Proxy-Authenticate, answered with Proxy-Authorization) response. See
    /// <see cref="TrySelectChallenge(IEnumerable{string}, out DigestChallenge?, out string?)"/>.
    /// </summary>
    /// <param name="response">The 401 or 407 response.</param>
    /// <param name="challenge">The strongest supported challenge.</param>
    /// <param name="credentialsHeader"><see cref="HeaderId.Authorization"/> for a 401, <see cref="HeaderId.ProxyAuthorization"/> for a 407.</param>
    /// <param name="error">Why no challenge can be answered.</param>
    public static bool TrySelectChallenge(
        SipResponse response,
        [NotNullWhen(true)] out DigestChallenge? challenge,
        out HeaderId credentialsHeader,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(response);
        HeaderId challengeHeader;
        switch (response.StatusCode)
        {
            case 401:
                challengeHeader = HeaderId.WwwAuthenticate;
                credentialsHeader = HeaderId.Authorization;
                break;
            case 407:
                challengeHeader = HeaderId.ProxyAuthenticate;
                credentialsHeader = HeaderId.ProxyAuthorization;
                break;
            default:
                challenge = null;
                credentialsHeader = default;
                error = $"a {response.StatusCode} response carries no challenge to answer";
                return false;
        }

        var values = new List<string>();
        var enumerator = response.GetValues(challengeHeader);
        while (enumerator.MoveNext())
        {
            // Header values are UTF-8 (RFC 3261 §7.3.1); the realm is hashed as text, so decode it as such.
            values.Add(Encoding.UTF8.GetString(enumerator.Current.Span));
        }

        return TrySelectChallenge(values, out challenge, out error);
    }

    /// <summary>
    /// Chooses, among several challenge header values, the one with the strongest supported algorithm:
    /// SHA-512-256, then SHA-256, then MD5 (RFC 8760 §2.4 lets a server offer one challenge per algorithm, in its
    /// order of preference, and leaves the choice to the client). Between equals, one offering <c>qop=auth</c> wins,
    /// then the first. Values that do not parse, are not Digest, or use an unsupported algorithm or qop are skipped.
    /// </summary>
    public static bool TrySelectChallenge(
        IEnumerable<string> challengeValues,
        [NotNullWhen(true)] out DigestChallenge? challenge,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(challengeValues);
        challenge = null;
        var bestRank = -1;
        var problems = new List<string>();
        foreach (var value in challengeValues)
        {
            if (!DigestChallenge.TryParse(value, out var candidate, out var parseError))
            {
                problems.Add(parseError ?? "unparsable challenge");
                continue;
            }

            if (!TryReadChallenge(candidate, out var algorithm, out var qop, out var unsupported))
            {
                problems.Add(unsupported);
                continue;
            }

            var rank = (Strength(algorithm) * 4) + QopStrength(qop);
            if (rank > bestRank)
            {
                bestRank = rank;
                challenge = candidate;
            }
        }

        if (challenge is not null)
        {
            error = null;
            return true;
        }

        error = problems.Count == 0 ? "no challenge offered" : $"no supported Digest challenge: {string.Join("; ", problems)}";
        return false;
    }

    /// <summary>A fresh client nonce: 128 random bits from <see cref="RandomNumberGenerator"/>, as lowercase hex.</summary>
    public static string CreateCnonce() => RandomNumberGenerator.GetHexString(CnonceHexLength, lowercase: true);

    /// <summary>H(entity-body) as lowercase hex, with the challenge's algorithm (RFC 7616 §3.4.3).</summary>
    internal static string HashBody(DigestAlgorithm algorithm, ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[32];
        int length;
        switch (algorithm)
        {
            case DigestAlgorithm.Md5:
                // MD5 only because the carrier's challenge asks for it (RFC 3261 §22.4 interoperability).
#pragma warning disable CA5351
                length = MD5.HashData(body, hash);
#pragma warning restore CA5351
                break;
            case DigestAlgorithm.Sha256:
                length = SHA256.HashData(body, hash);
                break;
            case DigestAlgorithm.Sha512_256:
                // The BCL has no SHA-512/256 (FIPS 180-4 §6.7); BouncyCastle's SHA-512/t with t = 256 is that function.
                var digest = new Sha512tDigest(256);
                digest.BlockUpdate(body);
                length = digest.DoFinal(hash);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown digest algorithm");
        }

        return Convert.ToHexStringLower(hash[..length]);
    }

    private static bool TryReadChallenge(
        DigestChallenge challenge,
        out DigestAlgorithm algorithm,
        out string? qop,
        [NotNullWhen(false)] out string? error)
    {
        algorithm = DigestAlgorithm.Md5;
        qop = null;
        if (!challenge.Scheme.Equals("Digest", StringComparison.OrdinalIgnoreCase))
        {
            error = $"scheme '{challenge.Scheme}' is not Digest";
            return false;
        }

        if (string.IsNullOrEmpty(challenge.Realm) || string.IsNullOrEmpty(challenge.Nonce))
        {
            error = "the challenge has no realm or no nonce";
            return false;
        }

        // RFC 7616 §3.3: no algorithm means MD5.
        if (challenge.Algorithm is { } token && !DigestAlgorithms.TryParse(token, out algorithm))
        {
            error = token.EndsWith(SessionSuffix, StringComparison.OrdinalIgnoreCase)
                ? $"session algorithm '{token}' is not supported"
                : $"unsupported digest algorithm '{token}'";
            return false;
        }

        if (challenge.Qop.Count > 0)
        {
            // RFC 7616 §3.3: qop is a list of what the server accepts; auth protects as much as SIP needs without
            // hashing the body, which a proxy may see change (SDP rewriting) between attempts.
            if (Offers(challenge.Qop, QopAuth))
            {
                qop = QopAuth;
            }
            else if (Offers(challenge.Qop, QopAuthInt))
            {
                qop = QopAuthInt;
            }
            else
            {
                error = $"no supported qop in '{string.Join(",", challenge.Qop)}'";
                return false;
            }
        }

        error = null;
        return true;
    }

    private static bool Offers(IReadOnlyList<string> offered, string qop)
    {
        foreach (var value in offered)
        {
            if (value.Equals(qop, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static int Strength(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Sha512_256 => 3,
        DigestAlgorithm.Sha256 => 2,
        _ => 1,
    };

    private static int QopStrength(string? qop) => qop switch
    {
        QopAuth => 2,
        QopAuthInt => 1,
        _ => 0,
    };
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SipTrunk.Sip.Auth;
using SipTrunk.Sip.Headers;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Auth;

/// <summary>
/// Server side of SIP digest authentication (RFC 3261 §22, RFC 7616, RFC 8760): challenges with self-validating nonces
/// (timestamp + HMAC under a server key, so no state is needed to check them and several nodes can share a key),
/// nonce-count replay protection, <c>stale=true</c> for expired nonces, constant-time response comparison.
/// </summary>
/// <remarks>
/// Only <c>qop=auth</c> is offered and accepted: auth-int would hash a body that proxies on the way may rewrite, and
/// the RFC 2069 form without qop has no nonce-count, so no replay protection. <c>userhash</c> is not offered.
/// ACK and CANCEL cannot be challenged (RFC 3261 §22.1) and should not be passed here.
/// </remarks>
public sealed class DigestServerAuthenticator
{
    /// <summary>How many nonces the replay table tracks at most (see <see cref="NonceCountTable"/> for what happens beyond).</summary>
    public const int DefaultMaxTrackedNonces = 100_000;

    private const string QopAuth = "auth";
    private const int MaxDetailValueLength = 64;
    private static readonly string[] OfferedQop = [QopAuth];

    private readonly DigestServerSettings _settings;
    private readonly TimeProvider _time;
    private readonly DigestNonceCodec _nonces;
    private readonly NonceCountTable _counts;
    private readonly long _lifetimeMs;

    /// <summary>Uses <paramref name="key"/> (at least 32 bytes) to sign nonces.</summary>
    public DigestServerAuthenticator(DigestServerSettings settings, ReadOnlySpan<byte> key, TimeProvider time)
        : this(settings, key, time, DefaultMaxTrackedNonces)
    {
    }

    /// <summary>As the public constructor, with the size of the nonce-count table (tests make it small).</summary>
    internal DigestServerAuthenticator(DigestServerSettings settings, ReadOnlySpan<byte> key, TimeProvider time, int maxTrackedNonces)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrEmpty(settings.Realm, nameof(settings));
        ArgumentNullException.ThrowIfNull(settings.Algorithms, nameof(settings));
        if (settings.Algorithms.Count == 0)
        {
            throw new ArgumentException("at least one digest algorithm must be offered", nameof(settings));
        }

        if (settings.NonceLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentException("the nonce lifetime must be positive", nameof(settings));
        }

        _settings = settings;
        _time = time;
        _nonces = new DigestNonceCodec(key);
        _counts = new NonceCountTable(maxTrackedNonces, settings.NonceLifetime);
        _lifetimeMs = (long)settings.NonceLifetime.TotalMilliseconds;
    }

    /// <summary>With a fresh random key from <see cref="System.Security.Cryptography.RandomNumberGenerator"/>.</summary>
    public static DigestServerAuthenticator CreateRandom(DigestServerSettings settings, TimeProvider time)
    {
        Span<byte> key = stackalloc byte[DigestNonceCodec.MinKeySizeInBytes];
        RandomNumberGenerator.Fill(key);
        try
        {
            return new DigestServerAuthenticator(settings, key, time);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The WWW-Authenticate/Proxy-Authenticate values: one per configured algorithm, in order, each with a fresh nonce and <c>qop="auth"</c>.</summary>
    public IReadOnlyList<string> CreateChallenges(bool stale) => CreateChallenges(stale, null);

    /// <summary>
    /// The challenges for one peer: the configured algorithms, in order, for which <paramref name="credentials"/> has an
    /// HA1 (all of them when <see langword="null"/>). A challenge the peer cannot answer is worse than useless: clients
    /// such as libre/baresip give up on the whole response at the first algorithm they do not know.
    /// </summary>
    public IReadOnlyList<string> CreateChallenges(bool stale, PeerCredentials? credentials)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var challenges = new List<string>(_settings.Algorithms.Count);
        foreach (var algorithm in _settings.Algorithms)
        {
            if (credentials is not null && string.IsNullOrEmpty(Ha1(credentials, algorithm)))
            {
                continue;
            }

            // A nonce per challenge rather than one for the set: nonces cost nothing to issue (no state), and a
            // nonce then names one offer, so nothing about the set's other algorithms can be inferred from its use.
            // RFC 8760 §2.4: the algorithm is always written, MD5 included, so the client need not guess.
            challenges.Add(DigestChallenge.Create(
                _settings.Realm,
                _nonces.Create(now),
                DigestAlgorithms.ToToken(algorithm),
                OfferedQop,
                stale: stale).ToHeaderValue());
        }

        return challenges;
    }

    /// <summary>
    /// Checks the credentials for our realm in <paramref name="credentialsHeader"/> (Authorization for REGISTER,
    /// Proxy-Authorization otherwise) against <paramref name="expected"/>.
    /// </summary>
    public DigestVerification Verify(SipRequest request, HeaderId credentialsHeader, PeerCredentials expected)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(expected);
        if (credentialsHeader is not (HeaderId.Authorization or HeaderId.ProxyAuthorization))
        {
            throw new ArgumentOutOfRangeException(nameof(credentialsHeader), credentialsHeader, "not a credentials header");
        }

        var credentials = FindCredentialsForOurRealm(request, credentialsHeader);
        if (credentials is null)
        {
            return new(DigestOutcome.Missing, null, "no credentials for our realm");
        }

        var username = credentials.Username;
        if (string.IsNullOrEmpty(username))
        {
            return new(DigestOutcome.Malformed, null, "credentials without a username");
        }

        if (credentials.UserHash)
        {
            // RFC 7616 §3.4.4: only when the server offered userhash=true, which we never do.
            return new(DigestOutcome.Invalid, username, "userhash was not offered");
        }

        if (!string.Equals(username, expected.Username, StringComparison.Ordinal))
        {
            return new(DigestOutcome.WrongUser, username, $"username '{Printable(username)}' is not this peer's");
        }

        // RFC 7616 §3.4: no algorithm parameter means MD5.
        var algorithm = DigestAlgorithm.Md5;
        if (credentials.Algorithm is { } token && !DigestAlgorithms.TryParse(token, out algorithm))
        {
            return new(DigestOutcome.Invalid, username, $"unsupported algorithm '{Printable(token)}'");
        }

        if (!_settings.Algorithms.Contains(algorithm))
        {
            return new(DigestOutcome.Invalid, username, $"algorithm {DigestAlgorithms.ToToken(algorithm)} was not offered");
        }

        var ha1 = Ha1(expected, algorithm);
        if (string.IsNullOrEmpty(ha1))
        {
            return new(DigestOutcome.Invalid, username, $"no {DigestAlgorithms.ToToken(algorithm)} HA1 configured for this peer");
        }

        if (Malformation(credentials, request) is { } problem)
        {
            return new(DigestOutcome.Malformed, username, problem);
        }

        var nonce = credentials.Nonce!;
        if (!_nonces.TryRead(nonce, out var issuedAtMs, out var random))
        {
            return new(DigestOutcome.Invalid, username, "nonce not issued by this server");
        }

        var uri = credentials.Uri!;
        var nonceCount = credentials.NonceCount!;
        var ha2 = DigestMath.ComputeHa2(algorithm, request.MethodName, uri);
        var response = DigestMath.ComputeResponse(algorithm, ha1, nonce, nonceCount, credentials.Cnonce, credentials.Qop, ha2);
        if (!DigestMath.FixedTimeEqualsHex(response, credentials.Response))
        {
            return new(DigestOutcome.Invalid, username, "wrong response");
        }

        // RFC 7616 §3.3: stale only once the response proved the password right, so that a wrong password on an old
        // nonce is a failure rather than an invitation to try again.
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now - issuedAtMs > _lifetimeMs)
        {
            return new(DigestOutcome.Stale, username, "nonce expired");
        }

        // DigestCredentials.TryParse already checked nc is 8 hex digits.
        var count = uint.Parse(nonceCount, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        return _counts.Advance(issuedAtMs, random, count, now) switch
        {
            DigestOutcome.Authenticated => new(DigestOutcome.Authenticated, username, null),
            DigestOutcome.Replayed => new(DigestOutcome.Replayed, username, "nonce count replayed"),
            _ => new(DigestOutcome.Stale, username, "nonce no longer tracked"),
        };
    }

    private DigestCredentials? FindCredentialsForOurRealm(SipRequest request, HeaderId credentialsHeader)
    {
        // RFC 3261 §22.3: a request may carry credentials for several realms (one per proxy on the path); only the
        // ones for our realm are ours to check. Values that do not parse cannot be ours to tell apart, so are skipped.
        foreach (var value in request.GetValues(credentialsHeader))
        {
            // Header values are UTF-8 (RFC 3261 §7.3.1); the username and realm are hashed as such.
            var text = Encoding.UTF8.GetString(value.Span);
            if (DigestCredentials.TryParse(text, out var credentials, out _)
                && credentials.Scheme.Equals("Digest", StringComparison.OrdinalIgnoreCase)
                && string.Equals(credentials.Realm, _settings.Realm, StringComparison.Ordinal))
            {
                return credentials;
            }
        }

        return null;
    }

    private static string? Malformation(DigestCredentials credentials, SipRequest request)
    {
        if (string.IsNullOrEmpty(credentials.Response) || string.IsNullOrEmpty(credentials.Nonce) || credentials.Uri is null)
        {
            return "missing response, nonce or uri";
        }

        // We always offer qop="auth"; the RFC 2069 form without qop has no nonce-count to stop replays.
        if (credentials.Qop is null)
        {
            return "qop=auth required";
        }

        if (!credentials.Qop.Equals(QopAuth, StringComparison.OrdinalIgnoreCase))
        {
            return $"unsupported qop '{Printable(credentials.Qop)}'";
        }

        if (credentials.NonceCount is null || string.IsNullOrEmpty(credentials.Cnonce))
        {
            return "qop=auth without nc or cnonce";
        }

        // RFC 3261 §22.4, RFC 7616 §3.4.6: the digest-uri must name the resource requested, or a response captured
        // for one request could be replayed against another.
        if (!string.Equals(credentials.Uri, request.RequestUriText, StringComparison.Ordinal))
        {
            return "digest uri is not the Request-URI";
        }

        return null;
    }

    // Details go into logs and reason phrases: keep peer-supplied text short and free of control characters.
    private static string Printable(string value)
    {
        var shortened = value.Length > MaxDetailValueLength ? value[..MaxDetailValueLength] : value;
        return string.Create(shortened.Length, shortened, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }

    private static string? Ha1(PeerCredentials credentials, DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Sha256 => credentials.Ha1Sha256,
        DigestAlgorithm.Md5 => credentials.Ha1Md5,
        _ => null,
    };
}

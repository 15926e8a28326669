using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Auth;

/// <summary>
/// Server side of SIP digest authentication (RFC 3261 §22, RFC 7616, RFC 8760): challenges with self-validating nonces
/// (timestamp + HMAC under a server key, so no state is needed to check them and several nodes can share a key),
/// nonce-count replay protection, <c>stale=true</c> for expired nonces, constant-time response comparison.
/// </summary>
public sealed class DigestServerAuthenticator
{
    /// <summary>Uses <paramref name="key"/> (at least 32 bytes) to sign nonces.</summary>
    public DigestServerAuthenticator(DigestServerSettings settings, ReadOnlySpan<byte> key, TimeProvider time)
    {
        _ = settings;
        _ = key.Length;
        _ = time;
    }

    /// <summary>With a fresh random key from <see cref="System.Security.Cryptography.RandomNumberGenerator"/>.</summary>
    public static DigestServerAuthenticator CreateRandom(DigestServerSettings settings, TimeProvider time) => throw new NotImplementedException();

    /// <summary>The WWW-Authenticate/Proxy-Authenticate values: one per configured algorithm, in order, each with a fresh nonce and <c>qop="auth"</c>.</summary>
    public IReadOnlyList<string> CreateChallenges(bool stale) => throw new NotImplementedException();

    /// <summary>
    /// Checks the credentials for our realm in <paramref name="credentialsHeader"/> (Authorization for REGISTER,
    /// Proxy-Authorization otherwise) against <paramref name="expected"/>.
    /// </summary>
    public DigestVerification Verify(SipRequest request, HeaderId credentialsHeader, PeerCredentials expected) => throw new NotImplementedException();
}

using SipTrunk.Sip.Headers;

namespace SipTrunk.Core.Auth;

// TEMPORARY STUB (replaced by wt-routing at merge)
public static class DigestClientAuthenticator
{
    public static bool TryCreateCredentials(DigestChallenge challenge, string method, string digestUri, string username, string password, ReadOnlySpan<byte> entityBody, Func<string> cnonceFactory, out string? headerValue, out string? error)
    {
        _ = (challenge, method, digestUri, username, password, cnonceFactory);
        _ = entityBody.Length;
        headerValue = null;
        error = "stub";
        return false;
    }
}

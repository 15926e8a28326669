namespace SipTrunk.Core.Auth;

/// <summary>What checking a request's digest credentials found.</summary>
public enum DigestOutcome
{
    /// <summary>Valid credentials for the expected user: the request is authenticated.</summary>
    Authenticated,

    /// <summary>No credentials for our realm: challenge (not a failure; the first request of every client).</summary>
    Missing,

    /// <summary>Right credentials on an expired nonce: challenge with <c>stale=true</c> (not a failure).</summary>
    Stale,

    /// <summary>Wrong response (wrong password), unknown or forged nonce, or an algorithm not offered: a failure; challenge again.</summary>
    Invalid,

    /// <summary>A nonce-count already seen for this nonce (a replay): a failure; challenge again.</summary>
    Replayed,

    /// <summary>Credentials of a username other than the peer's own (another peer's password on this certificate): a failure; 403.</summary>
    WrongUser,

    /// <summary>Credentials that cannot be checked (missing parameters, digest-uri not the Request-URI): a failure; 400.</summary>
    Malformed,
}

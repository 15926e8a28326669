namespace SipTrunk.Core.Auth;

/// <summary>The result of <c>DigestServerAuthenticator.Verify</c>: the outcome and a log-safe detail (never a secret).</summary>
/// <param name="Outcome">What was found.</param>
/// <param name="Username">The username the credentials claimed, if any.</param>
/// <param name="Detail">A short, secret-free reason for logs and 400 reason phrases.</param>
public sealed record DigestVerification(DigestOutcome Outcome, string? Username, string? Detail)
{
    /// <summary>Whether this counts as a failed authentication toward a ban (<c>Limits:AuthFailuresBeforeBan</c>).</summary>
    public bool IsFailure => Outcome is DigestOutcome.Invalid or DigestOutcome.Replayed or DigestOutcome.WrongUser or DigestOutcome.Malformed;
}

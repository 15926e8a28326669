namespace SipTrunk.Sip.Messages;

/// <summary>The verdict on a request: valid, or the response code and reason phrase to reject it with.</summary>
/// <param name="StatusCode">0 when valid; otherwise 400, 416 or 505.</param>
/// <param name="Reason">Why it is invalid, safe for a reason phrase (no secrets, no control characters).</param>
public readonly record struct SipValidation(int StatusCode, string? Reason)
{
    public static SipValidation Valid => default;

    public bool IsValid => StatusCode == 0;

    internal static SipValidation BadRequest(string reason) => new(400, reason);
}

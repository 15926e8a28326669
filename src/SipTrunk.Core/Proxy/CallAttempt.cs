namespace SipTrunk.Core.Proxy;

/// <summary>One try of a call on one carrier (CONTRACT.md §5 <c>attempts</c>).</summary>
/// <param name="Carrier">The carrier's name.</param>
/// <param name="StartedAt">When the INVITE was sent (or the connection attempted).</param>
/// <param name="SipCode">The final response code; 408 for a timeout, 503 for a transport failure, 0 when cancelled before one.</param>
/// <param name="Reason">The reason phrase, or what went wrong (e.g. "invite-timeout", "transport: connection refused").</param>
public sealed record CallAttempt(string Carrier, DateTimeOffset StartedAt, int SipCode, string Reason);

namespace SipTrunk.Core.Proxy;

/// <summary>A call in progress, as the admin API and dashboard show it.</summary>
/// <param name="CallId">The SIP Call-ID.</param>
/// <param name="Direction"><c>outbound</c> (peer → carrier) or <c>inbound</c> (carrier → peer).</param>
/// <param name="Peer">The peer's name.</param>
/// <param name="Carrier">The carrier that answered (outbound) or sent the call (inbound); null until known.</param>
/// <param name="StartedAt">When the proxy accepted the call for routing.</param>
/// <param name="AnsweredAt">When a 2xx arrived, or null while it is still being set up.</param>
public sealed record ActiveCall(string CallId, string Direction, string? Peer, string? Carrier, DateTimeOffset StartedAt, DateTimeOffset? AnsweredAt);

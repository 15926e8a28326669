namespace SipTrunk.Core.Transport;

/// <summary>
/// The per-source request rate (<c>Limits:RequestsPerSecondPerIp</c>, <c>Limits:RequestBurstPerIp</c>): a token bucket
/// per source IP address, checked before a request is parsed.
/// </summary>
/// <param name="RequestsPerSecond">Tokens added per second.</param>
/// <param name="Burst">The bucket's size: how many requests a quiet source may send at once.</param>
public sealed record RequestRateLimit(int RequestsPerSecond, int Burst);

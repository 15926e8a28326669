namespace SipTrunk.Configuration;

/// <summary><c>Carriers[].Auth</c>: credentials SipTrunk answers a carrier's digest challenge with.</summary>
internal sealed record CarrierAuthOptions
{
    public string? Username { get; init; }

    public string? Password { get; init; }
}

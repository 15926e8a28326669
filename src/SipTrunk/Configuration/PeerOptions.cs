namespace SipTrunk.Configuration;

/// <summary><c>Peers[]</c>: a PBX or softphone allowed to use the trunk.</summary>
internal sealed record PeerOptions
{
    public string Name { get; init; } = "";

    public CertificateIdentityOptions Certificate { get; init; } = new();

    /// <summary><see langword="null"/>: the client certificate alone authenticates the peer.</summary>
    public PeerDigestOptions? Digest { get; init; }

    /// <summary>CIDR networks the peer may connect from; empty means any address.</summary>
    public IReadOnlyList<string> AllowedNetworks { get; init; } = [];

    /// <summary>Number prefixes routed from carriers to this peer (longest prefix wins).</summary>
    public IReadOnlyList<string> Numbers { get; init; } = [];

    public int MaxConcurrentCalls { get; init; } = 50;

    /// <summary>What SipTrunk offers this peer and accepts from it (added to CONTRACT.md §3, as for carriers).</summary>
    public SrtpPolicy Srtp { get; init; } = SrtpPolicy.Require;

    public int MaxCallsPerSecond { get; init; } = 10;

    public bool Register { get; init; } = true;

    /// <summary>A static contact for inbound calls when the peer has no registration.</summary>
    public string? Uri { get; init; }
}

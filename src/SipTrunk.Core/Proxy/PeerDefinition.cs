using SipTrunk.Core.Auth;
using SipTrunk.Core.Transport;

namespace SipTrunk.Core.Proxy;

/// <summary>A trunk peer (PBX or softphone) as the engine uses it: the host's validated <c>Peers[]</c> entry.</summary>
public sealed record PeerDefinition
{
    public required string Name { get; init; }

    /// <summary>The identity the client certificate must prove (SAN DNS/URI, else CN), compared exactly (DNS names case-insensitively).</summary>
    public required string CertificateSubject { get; init; }

    /// <summary>Optional pin: upper-case hex SHA-256 of the client certificate, without colons.</summary>
    public string? Sha256Fingerprint { get; init; }

    /// <summary>Digest credentials the peer must also prove; <see langword="null"/>: the certificate alone suffices.</summary>
    public PeerCredentials? Credentials { get; init; }

    /// <summary>Networks the peer may send from; empty means any address.</summary>
    public IReadOnlyList<IpNetwork> AllowedNetworks { get; init; } = [];

    /// <summary>Number prefixes that carriers' calls reach this peer on.</summary>
    public IReadOnlyList<string> Numbers { get; init; } = [];

    public int MaxConcurrentCalls { get; init; } = 50;

    /// <summary><c>Peers[].Srtp</c>: what SipTrunk offers this peer (SRTP by default) and whether its plain RTP is refused.</summary>
    public Media.LegSrtpPolicy Srtp { get; init; } = Media.LegSrtpPolicy.Require;

    public int MaxCallsPerSecond { get; init; } = 10;

    /// <summary>Whether the peer may REGISTER (CONTRACT.md §3 <c>Peers[].Register</c>).</summary>
    public bool Register { get; init; } = true;

    /// <summary>A static contact for inbound calls when the peer has no registration, or <see langword="null"/>.</summary>
    public string? Uri { get; init; }

    /// <summary>How to connect to <see cref="Uri"/> (key, transport, TLS name and trust), or <see langword="null"/>.</summary>
    public OutboundTarget? UriTarget { get; init; }
}

namespace SipTrunk.Core.Proxy;

/// <summary>A trunk peer (PBX or softphone) as the engine uses it: the host's validated <c>Peers[]</c> entry.</summary>
public sealed record PeerDefinition
{
    public required string Name { get; init; }

    /// <summary>The identity the client certificate must prove (SAN DNS/URI, else CN), compared exactly (DNS names case-insensitively).</summary>
    public required string CertificateSubject { get; init; }

    /// <summary>Optional pin: upper-case hex SHA-256 of the client certificate, without colons.</summary>
    public string? Sha256Fingerprint { get; init; }

    /// <summary>Number prefixes that carriers' calls reach this peer on.</summary>
    public IReadOnlyList<string> Numbers { get; init; } = [];

    public int MaxConcurrentCalls { get; init; } = 50;
}

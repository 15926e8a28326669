using SipTrunk.Sip.Auth;

namespace SipTrunk.Core.Auth;

/// <summary>The digest challenges SipTrunk issues to peers (CONTRACT.md §3 <c>Digest</c>).</summary>
public sealed record DigestServerSettings
{
    public required string Realm { get; init; }

    /// <summary>One challenge per algorithm, in this order (RFC 8760 §2.4: the preferred one first).</summary>
    public IReadOnlyList<DigestAlgorithm> Algorithms { get; init; } = [DigestAlgorithm.Sha256, DigestAlgorithm.Md5];

    /// <summary>A nonce older than this is stale (<c>stale=true</c> with a fresh challenge).</summary>
    public TimeSpan NonceLifetime { get; init; } = TimeSpan.FromSeconds(300);
}

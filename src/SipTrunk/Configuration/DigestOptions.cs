namespace SipTrunk.Configuration;

/// <summary><c>Digest</c>: the digest challenge SipTrunk issues to peers (RFC 7616, RFC 8760).</summary>
internal sealed record DigestOptions
{
    public const string Sha256 = "SHA-256";
    public const string Md5 = "MD5";
    public const string Sha512256 = "SHA-512-256";

    /// <summary>Defaults to <c>Domain</c> when omitted.</summary>
    public string Realm { get; init; } = "";

    /// <summary>One challenge per algorithm, in this order (RFC 8760 §2.4: the preferred one first).</summary>
    public IReadOnlyList<string> Algorithms { get; init; } = [Sha256, Md5];

    public int NonceLifetimeSeconds { get; init; } = 300;
}

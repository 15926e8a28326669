namespace SipTrunk.Sip.Auth;

/// <summary>Maps <see cref="DigestAlgorithm"/> to and from its <c>algorithm</c> parameter token (RFC 7616 §3.2, RFC 8760 §2).</summary>
public static class DigestAlgorithms
{
    /// <summary>The token of <see cref="DigestAlgorithm.Md5"/>.</summary>
    public const string Md5Token = "MD5";

    /// <summary>The token of <see cref="DigestAlgorithm.Sha256"/>.</summary>
    public const string Sha256Token = "SHA-256";

    /// <summary>The token of <see cref="DigestAlgorithm.Sha512_256"/>.</summary>
    public const string Sha512_256Token = "SHA-512-256";

    /// <summary>
    /// Parses an <c>algorithm</c> token. Tokens compare case-insensitively (RFC 3261 §25.1 tokens; RFC 7616 §3.3 says
    /// an absent algorithm means MD5, which is the caller's decision since absence is not a token).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> token, out DigestAlgorithm algorithm)
    {
        if (token.Equals(Md5Token, StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Md5;
            return true;
        }

        if (token.Equals(Sha256Token, StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Sha256;
            return true;
        }

        if (token.Equals(Sha512_256Token, StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Sha512_256;
            return true;
        }

        algorithm = default;
        return false;
    }

    /// <summary>The wire token for <paramref name="algorithm"/>, e.g. <c>SHA-256</c>.</summary>
    public static string ToToken(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Md5 => Md5Token,
        DigestAlgorithm.Sha256 => Sha256Token,
        DigestAlgorithm.Sha512_256 => Sha512_256Token,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown digest algorithm"),
    };

    /// <summary>The digest length in bytes (the hex form is twice as long).</summary>
    public static int HashSizeInBytes(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Md5 => 16,
        DigestAlgorithm.Sha256 => 32,
        DigestAlgorithm.Sha512_256 => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown digest algorithm"),
    };
}

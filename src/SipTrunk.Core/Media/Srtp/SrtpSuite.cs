using System.Diagnostics.CodeAnalysis;

namespace SipTrunk.Core.Media.Srtp;

/// <summary>
/// One SDES crypto suite SipTrunk speaks (RFC 4568 §6.2, RFC 7714 §14.2): key and salt lengths and tag sizes.
/// </summary>
public sealed class SrtpSuite
{
    private SrtpSuite(string name, int keyLength, int saltLength, int rtpTagLength, int rtcpTagLength, bool isAead)
    {
        Name = name;
        KeyLength = keyLength;
        SaltLength = saltLength;
        RtpTagLength = rtpTagLength;
        RtcpTagLength = rtcpTagLength;
        IsAead = isAead;
    }

    /// <summary>AES_CM_128_HMAC_SHA1_80: 16-byte key, 14-byte salt, 10-byte tags (RFC 3711, RFC 4568 §6.2.1).</summary>
    public static SrtpSuite AesCm128HmacSha1_80 { get; } = new("AES_CM_128_HMAC_SHA1_80", 16, 14, 10, 10, false);

    /// <summary>AES_CM_128_HMAC_SHA1_32: as above with a 4-byte SRTP tag; SRTCP keeps 10 bytes (RFC 4568 §6.2.2).</summary>
    public static SrtpSuite AesCm128HmacSha1_32 { get; } = new("AES_CM_128_HMAC_SHA1_32", 16, 14, 4, 10, false);

    /// <summary>AEAD_AES_128_GCM: 16-byte key, 12-byte salt, 16-byte tag (RFC 7714 §14.2).</summary>
    public static SrtpSuite AeadAes128Gcm { get; } = new("AEAD_AES_128_GCM", 16, 12, 16, 16, true);

    /// <summary>AEAD_AES_256_GCM: 32-byte key, 12-byte salt, 16-byte tag (RFC 7714 §14.2).</summary>
    public static SrtpSuite AeadAes256Gcm { get; } = new("AEAD_AES_256_GCM", 32, 12, 16, 16, true);

    /// <summary>Every suite, in SipTrunk's order of preference when it offers keys.</summary>
    public static IReadOnlyList<SrtpSuite> All { get; } = [AeadAes256Gcm, AeadAes128Gcm, AesCm128HmacSha1_80, AesCm128HmacSha1_32];

    /// <summary>The SDP name, e.g. <c>AES_CM_128_HMAC_SHA1_80</c>.</summary>
    public string Name { get; }

    /// <summary>Master key length in bytes.</summary>
    public int KeyLength { get; }

    /// <summary>Master salt length in bytes.</summary>
    public int SaltLength { get; }

    /// <summary>SRTP authentication (or AEAD) tag length in bytes.</summary>
    public int RtpTagLength { get; }

    /// <summary>SRTCP authentication (or AEAD) tag length in bytes.</summary>
    public int RtcpTagLength { get; }

    /// <summary>An AEAD (GCM) suite of RFC 7714 rather than AES-CM + HMAC-SHA1 of RFC 3711.</summary>
    public bool IsAead { get; }

    /// <summary>Finds a suite by its SDP name (case-sensitive, as RFC 4568 registers them).</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out SrtpSuite? suite)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name, name, StringComparison.Ordinal))
            {
                suite = candidate;
                return true;
            }
        }

        suite = null;
        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

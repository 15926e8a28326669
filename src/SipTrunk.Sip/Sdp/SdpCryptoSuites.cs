namespace SipTrunk.Sip.Sdp;

/// <summary>SRTP crypto-suite names for SDES (RFC 4568 §6.2, RFC 6188 §7.1, RFC 7714 §12) and their master key/salt sizes.</summary>
public static class SdpCryptoSuites
{
    /// <summary>RFC 4568 §6.2.1: AES-CM 128-bit key, 112-bit salt, 80-bit auth tag.</summary>
    public const string AesCm128HmacSha1_80 = "AES_CM_128_HMAC_SHA1_80";

    /// <summary>RFC 4568 §6.2.2: as above with a 32-bit auth tag.</summary>
    public const string AesCm128HmacSha1_32 = "AES_CM_128_HMAC_SHA1_32";

    /// <summary>RFC 4568 §6.2.3: AES-f8.</summary>
    public const string F8_128HmacSha1_80 = "F8_128_HMAC_SHA1_80";

    /// <summary>RFC 6188 §7.1: AES-192 counter mode.</summary>
    public const string Aes192CmHmacSha1_80 = "AES_192_CM_HMAC_SHA1_80";

    /// <summary>RFC 6188 §7.1.</summary>
    public const string Aes192CmHmacSha1_32 = "AES_192_CM_HMAC_SHA1_32";

    /// <summary>RFC 6188 §7.1: AES-256 counter mode.</summary>
    public const string Aes256CmHmacSha1_80 = "AES_256_CM_HMAC_SHA1_80";

    /// <summary>RFC 6188 §7.1.</summary>
    public const string Aes256CmHmacSha1_32 = "AES_256_CM_HMAC_SHA1_32";

    /// <summary>RFC 7714 §12: AES-GCM, 128-bit key, 96-bit salt.</summary>
    public const string AeadAes128Gcm = "AEAD_AES_128_GCM";

    /// <summary>RFC 7714 §12: AES-GCM, 256-bit key, 96-bit salt.</summary>
    public const string AeadAes256Gcm = "AEAD_AES_256_GCM";

    /// <summary>
    /// Gets the master key and master salt lengths in bytes for a known suite; false for suites this code does not know
    /// (those are still parsed and forwarded, just not length-checked).
    /// </summary>
    public static bool TryGetKeyLengths(string suite, out int keyLength, out int saltLength)
    {
        (keyLength, saltLength) = suite switch
        {
            AesCm128HmacSha1_80 or AesCm128HmacSha1_32 or F8_128HmacSha1_80 => (16, 14),
            Aes192CmHmacSha1_80 or Aes192CmHmacSha1_32 => (24, 14),
            Aes256CmHmacSha1_80 or Aes256CmHmacSha1_32 => (32, 14),
            AeadAes128Gcm => (16, 12),
            AeadAes256Gcm => (32, 12),
            _ => (0, 0),
        };
        return keyLength != 0;
    }

    /// <summary>Whether <paramref name="suite"/> is one whose key lengths are known.</summary>
    public static bool IsKnown(string suite) => TryGetKeyLengths(suite, out _, out _);
}

using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SipTrunk.Core.Media.Srtp;

/// <summary>
/// The session keys of one packet kind (SRTP or SRTCP) and the crypto objects built from them once: AES-CM over a kept
/// ECB transform and an HMAC-SHA1 <see cref="IncrementalHash"/> for the AES-CM suites, an <see cref="AesGcm"/> for
/// the AEAD ones. The RTP and RTCP halves of a context each own one, so they can run concurrently; one instance is
/// never used by two threads at once.
/// </summary>
internal sealed class SrtpCipher : IDisposable
{
    private const int HmacSha1Length = 20;
    private const int AuthKeyLength = 20;
    private const int CounterModeSaltLength = 14;
    private const int AeadSaltLength = 12;

    // The session salt, padded to the IV length (16 for AES-CM, 12 for GCM) with zeros on the right.
    private readonly byte[] _salt;
    private readonly AesCounterMode? _counterMode;
    private readonly IncrementalHash? _hmac;
    private readonly AesGcm? _gcm;

    private SrtpCipher(SrtpSuite suite, ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> authKey)
    {
        if (suite.IsAead)
        {
            _salt = new byte[AeadSaltLength];
            _gcm = new AesGcm(key, suite.RtpTagLength);
        }
        else
        {
            _salt = new byte[16];
            _counterMode = new AesCounterMode(key);

            // RFC 3711 §4.2.1 mandates HMAC-SHA1 for these suites; SHA-1's collision weakness does not touch HMAC.
            _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, authKey);
        }

        salt.CopyTo(_salt);
    }

    /// <summary>Derives the session keys of SRTP (labels 0x00–0x02) or SRTCP (0x03–0x05) from the master key (RFC 3711 §4.3).</summary>
    public static SrtpCipher Derive(SrtpSuite suite, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, bool rtcp)
    {
        var encryptionLabel = rtcp ? SrtpKeyDerivation.RtcpEncryptionLabel : SrtpKeyDerivation.RtpEncryptionLabel;
        var authenticationLabel = rtcp ? SrtpKeyDerivation.RtcpAuthenticationLabel : SrtpKeyDerivation.RtpAuthenticationLabel;
        var saltLabel = rtcp ? SrtpKeyDerivation.RtcpSaltLabel : SrtpKeyDerivation.RtpSaltLabel;

        Span<byte> key = stackalloc byte[suite.KeyLength];
        Span<byte> salt = stackalloc byte[suite.IsAead ? AeadSaltLength : CounterModeSaltLength];
        Span<byte> authKey = stackalloc byte[suite.IsAead ? 0 : AuthKeyLength];
        using (var prf = new AesCounterMode(masterKey))
        {
            SrtpKeyDerivation.Derive(prf, masterSalt, encryptionLabel, key);
            SrtpKeyDerivation.Derive(prf, masterSalt, saltLabel, salt);
            SrtpKeyDerivation.Derive(prf, masterSalt, authenticationLabel, authKey);
        }

        try
        {
            return new SrtpCipher(suite, key, salt, authKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(salt);
            CryptographicOperations.ZeroMemory(authKey);
        }
    }

    /// <summary>Builds a cipher from session keys given directly, as the RFC 7714 §16–§17 test vectors state them.</summary>
    public static SrtpCipher FromSessionKeys(SrtpSuite suite, ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> authKey)
    {
        if (key.Length != suite.KeyLength
            || salt.Length != (suite.IsAead ? AeadSaltLength : CounterModeSaltLength)
            || authKey.Length != (suite.IsAead ? 0 : AuthKeyLength))
        {
            throw new ArgumentException($"Session key lengths do not fit {suite.Name}.");
        }

        return new SrtpCipher(suite, key, salt, authKey);
    }

    /// <summary>
    /// AES-CM en/decryption of one packet's encrypted portion (RFC 3711 §4.1.1):
    /// IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), i the 48-bit SRTP index or the 31-bit SRTCP index.
    /// </summary>
    public void CounterMode(uint ssrc, ulong index, ReadOnlySpan<byte> input, Span<byte> output)
    {
        Span<byte> iv = stackalloc byte[16];
        WriteIv(iv, ssrcOffset: 4, ssrc, index);
        _counterMode!.Transform(iv, input, output);
    }

    /// <summary>
    /// The HMAC-SHA1 tag over <paramref name="data"/> || <paramref name="trailer"/> (RFC 3711 §4.2), truncated to the
    /// length of <paramref name="tag"/> (its leftmost bytes, §4.2.1).
    /// </summary>
    public void Mac(ReadOnlySpan<byte> data, ReadOnlySpan<byte> trailer, Span<byte> tag)
    {
        Span<byte> digest = stackalloc byte[HmacSha1Length];
        Digest(data, trailer, digest);
        digest[..tag.Length].CopyTo(tag);
    }

    /// <summary>Checks a truncated HMAC-SHA1 tag in constant time.</summary>
    public bool VerifyMac(ReadOnlySpan<byte> data, ReadOnlySpan<byte> trailer, ReadOnlySpan<byte> tag)
    {
        Span<byte> digest = stackalloc byte[HmacSha1Length];
        Digest(data, trailer, digest);
        return CryptographicOperations.FixedTimeEquals(digest[..tag.Length], tag);
    }

    /// <summary>
    /// AES-GCM encryption (RFC 7714 §8.1, §9.1): IV = (00 00 || SSRC || i) XOR salt, i the 48-bit ROC || SEQ for SRTP
    /// or 00 00 || the 31-bit SRTCP index.
    /// </summary>
    public void Seal(uint ssrc, ulong index, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag)
    {
        Span<byte> nonce = stackalloc byte[AeadSaltLength];
        WriteIv(nonce, ssrcOffset: 2, ssrc, index);
        _gcm!.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
    }

    /// <summary>AES-GCM decryption and tag check (the platform compares in constant time); false when the tag is wrong.</summary>
    public bool Open(uint ssrc, ulong index, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext)
    {
        Span<byte> nonce = stackalloc byte[AeadSaltLength];
        WriteIv(nonce, ssrcOffset: 2, ssrc, index);
        try
        {
            _gcm!.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    /// <summary>Clears the salt and releases (and so clears) the keyed crypto objects.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_salt);
        _counterMode?.Dispose();
        _hmac?.Dispose();
        _gcm?.Dispose();
    }

    private void Digest(ReadOnlySpan<byte> data, ReadOnlySpan<byte> trailer, Span<byte> digest)
    {
        _hmac!.AppendData(data);
        _hmac.AppendData(trailer);
        _hmac.TryGetHashAndReset(digest, out _);
    }

    // salt XOR (SSRC at ssrcOffset || 48-bit index right after it): the shared shape of the AES-CM IV (offset 4 in 16
    // bytes, the index then shifted left by 16) and the GCM IV (offset 2 in 12 bytes).
    private void WriteIv(Span<byte> iv, int ssrcOffset, uint ssrc, ulong index)
    {
        _salt.CopyTo(iv);
        var ssrcBytes = iv.Slice(ssrcOffset, 4);
        BinaryPrimitives.WriteUInt32BigEndian(ssrcBytes, BinaryPrimitives.ReadUInt32BigEndian(ssrcBytes) ^ ssrc);
        var indexBytes = iv.Slice(ssrcOffset + 4, 6);
        for (var i = 5; i >= 0; i--)
        {
            indexBytes[i] ^= (byte)index;
            index >>= 8;
        }
    }
}

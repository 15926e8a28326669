using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace SipTrunk.Core.Auth;

/// <summary>
/// Self-validating digest nonces: base64url of an 8-byte issue time (Unix ms, big-endian), 8 random bytes, and the
/// first 16 bytes of HMAC-SHA256 over those 16 bytes under the server key. Checking one needs only the key, so a
/// restarted node, or any node sharing the key, accepts the nonces of the others (RFC 7616 §3.3 leaves the nonce's
/// construction to the server and suggests a time stamp plus a private key for exactly this).
/// </summary>
internal sealed class DigestNonceCodec
{
    /// <summary>The smallest key accepted: HMAC-SHA256's output size (RFC 2104 §3 recommends at least that).</summary>
    public const int MinKeySizeInBytes = 32;

    private const int PayloadSize = 16;
    private const int TagSize = 16;
    private const int NonceSize = PayloadSize + TagSize;

    // 32 bytes of base64url without padding.
    private const int EncodedLength = 43;

    private readonly byte[] _key;

    public DigestNonceCodec(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinKeySizeInBytes)
        {
            throw new ArgumentException($"the nonce key must be at least {MinKeySizeInBytes} bytes", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>A fresh nonce issued at <paramref name="issuedAtMs"/> (Unix milliseconds).</summary>
    public string Create(long issuedAtMs)
    {
        Span<byte> nonce = stackalloc byte[NonceSize];
        BinaryPrimitives.WriteInt64BigEndian(nonce[..8], issuedAtMs);
        RandomNumberGenerator.Fill(nonce.Slice(8, 8));
        Sign(nonce[..PayloadSize], nonce[PayloadSize..]);
        return Base64Url.EncodeToString(nonce);
    }

    /// <summary>
    /// Reads a nonce this key signed. False for anything else: wrong length, not base64url, or a tag that does not
    /// match (forged, truncated, altered, or signed under another key). The tag is compared in constant time.
    /// Never throws: the text is the peer's (the <c>TryDecode</c> form throws on characters outside base64url).
    /// </summary>
    public bool TryRead(ReadOnlySpan<char> text, out long issuedAtMs, out ulong random)
    {
        issuedAtMs = 0;
        random = 0;
        Span<byte> nonce = stackalloc byte[NonceSize];
        if (text.Length != EncodedLength
            || Base64Url.DecodeFromChars(text, nonce, out _, out var written) != OperationStatus.Done
            || written != NonceSize)
        {
            return false;
        }

        Span<byte> tag = stackalloc byte[TagSize];
        Sign(nonce[..PayloadSize], tag);
        if (!CryptographicOperations.FixedTimeEquals(tag, nonce[PayloadSize..]))
        {
            return false;
        }

        issuedAtMs = BinaryPrimitives.ReadInt64BigEndian(nonce[..8]);
        random = BinaryPrimitives.ReadUInt64BigEndian(nonce.Slice(8, 8));
        return true;
    }

    private void Sign(ReadOnlySpan<byte> payload, Span<byte> tag)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, payload, mac);
        mac[..TagSize].CopyTo(tag);
    }
}

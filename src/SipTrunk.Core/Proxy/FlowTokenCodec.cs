using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// Encodes a <see cref="FlowToken"/> as a URI-parameter-safe string with an HMAC, so a peer cannot forge a Route that
/// sends its requests down another peer's connection (RFC 5626 §5.2 asks for exactly this integrity).
/// </summary>
public sealed class FlowTokenCodec
{
    private const int MacLength = 10;
    private readonly byte[] _key;

    /// <summary>Creates a codec with the given key (32 random bytes from RandomNumberGenerator in production).</summary>
    public FlowTokenCodec(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(key.Length, 16);
        _key = [.. key];
    }

    /// <summary>A codec with a fresh random key; tokens do not survive a restart, and neither do the flows they name.</summary>
    public static FlowTokenCodec CreateRandom() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>Encodes <paramref name="token"/> (base64url, no padding).</summary>
    public string Encode(FlowToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var peer = Encoding.UTF8.GetBytes(token.Peer);
        var carrier = Encoding.UTF8.GetBytes(token.Carrier);
        if (peer.Length > 255 || carrier.Length > 255)
        {
            throw new ArgumentException("Peer and carrier names are limited to 255 bytes.", nameof(token));
        }

        var payloadLength = 8 + 1 + peer.Length + 1 + carrier.Length + 8;
        var buffer = new byte[payloadLength + MacLength];
        BinaryPrimitives.WriteInt64BigEndian(buffer, token.PeerFlowId);
        buffer[8] = (byte)peer.Length;
        peer.CopyTo(buffer, 9);
        buffer[9 + peer.Length] = (byte)carrier.Length;
        carrier.CopyTo(buffer, 10 + peer.Length);
        BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(10 + peer.Length + carrier.Length), token.CarrierFlowId);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, buffer.AsSpan(0, payloadLength), mac);
        mac[..MacLength].CopyTo(buffer.AsSpan(payloadLength));
        return Base64Url.EncodeToString(buffer);
    }

    /// <summary>Decodes and authenticates a token; false for anything SipTrunk did not issue with this key.</summary>
    public bool TryDecode(string? text, out FlowToken? token)
    {
        token = null;
        if (string.IsNullOrEmpty(text) || text.Length > 1024)
        {
            return false;
        }

        byte[] buffer;
        try
        {
            buffer = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return false;
        }

        if (buffer.Length < 8 + 2 + 8 + MacLength)
        {
            return false;
        }

        var payloadLength = buffer.Length - MacLength;
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, buffer.AsSpan(0, payloadLength), mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..MacLength], buffer.AsSpan(payloadLength)))
        {
            return false;
        }

        var peerLength = buffer[8];
        if (9 + peerLength >= payloadLength)
        {
            return false;
        }

        var carrierLength = buffer[9 + peerLength];
        if (10 + peerLength + carrierLength + 8 != payloadLength)
        {
            return false;
        }

        token = new FlowToken(
            BinaryPrimitives.ReadInt64BigEndian(buffer),
            Encoding.UTF8.GetString(buffer, 9, peerLength),
            Encoding.UTF8.GetString(buffer, 10 + peerLength, carrierLength),
            BinaryPrimitives.ReadInt64BigEndian(buffer.AsSpan(10 + peerLength + carrierLength)));
        return true;
    }
}

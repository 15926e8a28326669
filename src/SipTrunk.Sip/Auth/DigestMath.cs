using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace SipTrunk.Sip.Auth;

/// <summary>
/// The digest computations of RFC 2617 §3.2.2 and RFC 7616 §3.4 (used by SIP per RFC 3261 §22.4 and RFC 8760):
/// HA1, HA2 and the request-digest, as lowercase hex over UTF-8 input, plus a constant-time comparison of hex values.
/// </summary>
public static class DigestMath
{
    // Inputs above this size are encoded into a pooled array instead of the stack.
    private const int StackLimitInBytes = 512;

    // The largest digest we produce (SHA-256, SHA-512/256): 32 bytes.
    private const int MaxHashSizeInBytes = 32;

    /// <summary>HA1 = H(username ":" realm ":" password), RFC 7616 §3.4.2 (non-session algorithms).</summary>
    public static string ComputeHa1(DigestAlgorithm algorithm, string username, string realm, string password)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(password);
        return HashJoined(algorithm, lowerHexParts: 0, username, realm, password);
    }

    /// <summary>HA2 = H(method ":" digest-uri), RFC 7616 §3.4.3 for <c>qop=auth</c> or no qop.</summary>
    public static string ComputeHa2(DigestAlgorithm algorithm, string method, string digestUri)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(digestUri);
        return HashJoined(algorithm, lowerHexParts: 0, method, digestUri);
    }

    /// <summary>
    /// The request-digest (the <c>response</c> parameter). With a <paramref name="qop"/> (RFC 7616 §3.4.1):
    /// H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2); without one, the RFC 2069 form kept by RFC 2617 §3.2.2.1:
    /// H(HA1 ":" nonce ":" HA2). <paramref name="ha1"/> and <paramref name="ha2"/> are hex; uppercase hex digits are
    /// lowered first, since the digest is defined over the lowercase form (RFC 7616 §3.4.1) and operators paste HA1
    /// values from tools that print uppercase.
    /// </summary>
    /// <exception cref="ArgumentException">qop is given but nonce-count or cnonce is missing.</exception>
    public static string ComputeResponse(
        DigestAlgorithm algorithm,
        string ha1,
        string nonce,
        string? nonceCount,
        string? cnonce,
        string? qop,
        string ha2)
    {
        ArgumentNullException.ThrowIfNull(ha1);
        ArgumentNullException.ThrowIfNull(nonce);
        ArgumentNullException.ThrowIfNull(ha2);
        if (string.IsNullOrEmpty(qop))
        {
            return HashJoined(algorithm, lowerHexParts: 0b101, ha1, nonce, ha2);
        }

        if (string.IsNullOrEmpty(nonceCount) || string.IsNullOrEmpty(cnonce))
        {
            throw new ArgumentException("qop requires nonce-count and cnonce (RFC 7616 §3.4)", nameof(qop));
        }

        return HashJoined(algorithm, lowerHexParts: 0b100001, ha1, nonce, nonceCount, cnonce, qop, ha2);
    }

    /// <summary>
    /// Compares two hex strings case-insensitively in time that depends only on their lengths, never on where they
    /// differ, so a wrong <c>response</c> reveals nothing about the right one. Strings of different lengths, or with a
    /// non-hex character, are unequal.
    /// </summary>
    public static bool FixedTimeEqualsHex(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        // Lengths are public (fixed per algorithm), and the hex check only branches on each input's own validity:
        // the secret side is always a value we computed, so neither leaks anything about it.
        if (a.Length != b.Length || !IsHex(a) || !IsHex(b))
        {
            return false;
        }

        byte[]? rented = null;
        var buffer = a.Length <= StackLimitInBytes / 2
            ? stackalloc byte[2 * a.Length]
            : (rented = ArrayPool<byte>.Shared.Rent(2 * a.Length)).AsSpan(0, 2 * a.Length);
        try
        {
            var left = buffer[..a.Length];
            var right = buffer[a.Length..];
            for (var i = 0; i < a.Length; i++)
            {
                // For hex digits, setting 0x20 maps 'A'-'F' onto 'a'-'f' and leaves '0'-'9' unchanged: no branch.
                left[i] = (byte)(a[i] | 0x20);
                right[i] = (byte)(b[i] | 0x20);
            }

            return CryptographicOperations.FixedTimeEquals(left, right);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool IsHex(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Hashes the UTF-8 of <paramref name="parts"/> joined by ':'. Bit i of <paramref name="lowerHexParts"/> marks
    /// part i as hex to be lowered before hashing.
    /// </summary>
    private static string HashJoined(DigestAlgorithm algorithm, int lowerHexParts, params ReadOnlySpan<string> parts)
    {
        var length = parts.Length - 1;
        foreach (var part in parts)
        {
            length += Encoding.UTF8.GetByteCount(part);
        }

        byte[]? rented = null;
        var input = length <= StackLimitInBytes
            ? stackalloc byte[StackLimitInBytes]
            : rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = 0;
            for (var i = 0; i < parts.Length; i++)
            {
                if (i > 0)
                {
                    input[written++] = (byte)':';
                }

                var count = Encoding.UTF8.GetBytes(parts[i], input[written..]);
                if ((lowerHexParts & (1 << i)) != 0)
                {
                    LowerAsciiLetters(input.Slice(written, count));
                }

                written += count;
            }

            Span<byte> hash = stackalloc byte[MaxHashSizeInBytes];
            var hashLength = Hash(algorithm, input[..written], hash);
            return Convert.ToHexStringLower(hash[..hashLength]);
        }
        finally
        {
            if (rented is not null)
            {
                CryptographicOperations.ZeroMemory(rented.AsSpan(0, length));
                ArrayPool<byte>.Shared.Return(rented);
            }
            else
            {
                // The buffer may hold a password: do not leave it on the stack.
                CryptographicOperations.ZeroMemory(input);
            }
        }
    }

    private static void LowerAsciiLetters(Span<byte> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] is >= (byte)'A' and <= (byte)'Z')
            {
                value[i] |= 0x20;
            }
        }
    }

    private static int Hash(DigestAlgorithm algorithm, ReadOnlySpan<byte> input, Span<byte> destination)
    {
        switch (algorithm)
        {
            case DigestAlgorithm.Md5:
                // MD5 is required for interoperability (RFC 3261 §22.4; CONTRACT.md keeps it in the default list).
#pragma warning disable CA5351
                return MD5.HashData(input, destination);
#pragma warning restore CA5351
            case DigestAlgorithm.Sha256:
                return SHA256.HashData(input, destination);
            case DigestAlgorithm.Sha512_256:
                Sha512Truncated256.HashData(input, destination);
                return Sha512Truncated256.HashSizeInBytes;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown digest algorithm");
        }
    }
}

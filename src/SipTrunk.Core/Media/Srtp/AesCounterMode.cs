using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace SipTrunk.Core.Media.Srtp;

/// <summary>
/// AES in counter mode as SRTP uses it (RFC 3711 §4.1.1): block j of the keystream is AES(key, IV + j), the IV a
/// 128-bit big-endian integer. The counter blocks are laid out on the stack and encrypted with one ECB call, so a
/// packet costs one call into the platform's AES and no allocation; only payloads above
/// <see cref="MaxBlocksPerCall"/> blocks take more than one call.
/// </summary>
internal static class AesCounterMode
{
    /// <summary>Blocks encrypted per ECB call: 2 KiB covers any audio packet and most video ones at 4 KiB of stack.</summary>
    public const int MaxBlocksPerCall = 128;

    private const int BlockSize = 16;

    /// <summary>XORs <paramref name="input"/> with the keystream starting at <paramref name="iv"/> into <paramref name="output"/>.</summary>
    public static void Transform(Aes aes, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        Run(aes, iv, input, output, xor: true);
    }

    /// <summary>Writes the keystream starting at <paramref name="iv"/> (as used by the key derivation PRF, RFC 3711 §4.3.3).</summary>
    public static void Keystream(Aes aes, ReadOnlySpan<byte> iv, Span<byte> output)
    {
        Run(aes, iv, default, output, xor: false);
    }

    private static void Run(Aes aes, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output, bool xor)
    {
        var high = BinaryPrimitives.ReadUInt64BigEndian(iv);
        var low = BinaryPrimitives.ReadUInt64BigEndian(iv[8..]);
        var totalBlocks = (output.Length + BlockSize - 1) / BlockSize;
        var blocksPerCall = Math.Min(totalBlocks, MaxBlocksPerCall);
        Span<byte> blocks = stackalloc byte[blocksPerCall * BlockSize];
        var done = 0;
        while (done < output.Length)
        {
            var length = Math.Min(output.Length - done, blocks.Length);
            var count = (length + BlockSize - 1) / BlockSize;
            var chunk = blocks[..(count * BlockSize)];
            for (var j = 0; j < count; j++)
            {
                // IV + j over all 128 bits, though SRTP's IVs end in 16 zero bits and a packet never carries past them.
                BinaryPrimitives.WriteUInt64BigEndian(chunk[(j * BlockSize)..], high);
                BinaryPrimitives.WriteUInt64BigEndian(chunk[((j * BlockSize) + 8)..], low);
                low++;
                if (low == 0)
                {
                    high++;
                }
            }

            // Exactly overlapping buffers are allowed by the one-shot API: the counters become the keystream in place.
            aes.EncryptEcb(chunk, chunk, PaddingMode.None);
            var target = output.Slice(done, length);
            if (xor)
            {
                Xor(input.Slice(done, length), chunk[..length], target);
            }
            else
            {
                chunk[..length].CopyTo(target);
            }

            done += length;
        }
    }

    private static void Xor(ReadOnlySpan<byte> data, ReadOnlySpan<byte> keystream, Span<byte> output)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<byte>.Count;
            for (; i + width <= data.Length; i += width)
            {
                (new Vector<byte>(data[i..]) ^ new Vector<byte>(keystream[i..])).CopyTo(output[i..]);
            }
        }

        for (; i < data.Length; i++)
        {
            output[i] = (byte)(data[i] ^ keystream[i]);
        }
    }
}

using System.Buffers.Binary;

namespace SipTrunk.Core.Media.Srtp;

/// <summary>
/// The SRTP half of a context (RFC 3711 §3.1–§3.3, RFC 7714 §8): its own cipher and per-SSRC table, shared with
/// nothing on the RTCP side, so RTP and RTCP may be processed concurrently.
/// </summary>
internal sealed class SrtpRtpTransform : IDisposable
{
    private const int FixedHeaderLength = 12;
    private const int RocLength = 4;

    private readonly SrtpCipher _cipher;
    private readonly SrtpStreamTable<SrtpRtpStream> _streams;
    private readonly int _tagLength;
    private readonly bool _aead;

    public SrtpRtpTransform(SrtpSuite suite, SrtpCipher cipher, int maxStreams)
    {
        _cipher = cipher;
        _streams = new SrtpStreamTable<SrtpRtpStream>(maxStreams);
        _tagLength = suite.RtpTagLength;
        _aead = suite.IsAead;
    }

    /// <summary>SSRCs with state.</summary>
    public int StreamCount => _streams.Count;

    /// <summary>The highest index protected and the highest authenticated for <paramref name="ssrc"/> (null when none).</summary>
    public (ulong? Sent, ulong? Received) GetIndexes(uint ssrc)
    {
        var slot = _streams.Find(ssrc);
        if (slot < 0)
        {
            return (null, null);
        }

        ref var stream = ref _streams[slot];
        return (stream.Sent ? stream.SentHighest : null, stream.Window.HasAccepted ? stream.Window.Highest : null);
    }

    public SrtpResult Protect(ReadOnlySpan<byte> packet, Span<byte> output, out int written)
    {
        written = 0;
        if (!TryGetHeaderLength(packet, out var headerLength))
        {
            return SrtpResult.Malformed;
        }

        if (output.Length < packet.Length + _tagLength)
        {
            return SrtpResult.OutputTooSmall;
        }

        var sequence = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        var slot = _streams.Find(ssrc);

        // The sender estimates its index as a receiver would (Appendix A) rather than bumping the ROC on every
        // decrease: a relay forwards what arrived, reordering near the wrap included, and must not push its ROC ahead.
        ulong index = sequence;
        var advance = true;
        if (slot >= 0 && _streams[slot].Sent)
        {
            var highest = _streams[slot].SentHighest;
            var estimate = SrtpPacketIndex.Estimate(highest, sequence);
            if (estimate < 0)
            {
                // From before the first packet sent: protected with ROC 0, which the receiver will judge; no state moves.
                advance = false;
            }
            else
            {
                index = (ulong)estimate;
                advance = index > highest;
            }
        }

        var payload = packet[headerLength..];
        packet[..headerLength].CopyTo(output);
        var encrypted = output.Slice(headerLength, payload.Length);
        var tag = output.Slice(packet.Length, _tagLength);
        if (_aead)
        {
            // RFC 7714 §8.2: the whole header, CSRCs and extension included, is the associated data.
            _cipher.Seal(ssrc, index, packet[..headerLength], payload, encrypted, tag);
        }
        else
        {
            _cipher.CounterMode(ssrc, index, payload, encrypted);
            Span<byte> roc = stackalloc byte[RocLength];
            BinaryPrimitives.WriteUInt32BigEndian(roc, (uint)(index >> 16));
            _cipher.Mac(output[..packet.Length], roc, tag);
        }

        ref var stream = ref _streams.Use(slot, ssrc);
        if (advance)
        {
            stream.Sent = true;
            stream.SentHighest = index;
        }

        written = packet.Length + _tagLength;
        return SrtpResult.Ok;
    }

    public SrtpResult Unprotect(ReadOnlySpan<byte> packet, Span<byte> output, out int written)
    {
        written = 0;
        if (packet.Length < FixedHeaderLength + _tagLength || !TryGetHeaderLength(packet[..^_tagLength], out var headerLength))
        {
            return SrtpResult.Malformed;
        }

        var plainLength = packet.Length - _tagLength;
        if (output.Length < plainLength)
        {
            return SrtpResult.OutputTooSmall;
        }

        var sequence = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        var slot = _streams.Find(ssrc);
        var known = slot >= 0 && _streams[slot].Window.HasAccepted;

        // RFC 3711 §3.3.1: a new SSRC starts at ROC 0 with s_l its first sequence number.
        ulong index = sequence;
        if (known)
        {
            var estimate = SrtpPacketIndex.Estimate(_streams[slot].Window.Highest, sequence);
            if (estimate < 0 || _streams[slot].Window.IsReplay((ulong)estimate))
            {
                return SrtpResult.Replayed;
            }

            index = (ulong)estimate;
        }

        var header = packet[..headerLength];
        var ciphertext = packet[headerLength..plainLength];
        var tag = packet[plainLength..];
        var decrypted = output[headerLength..plainLength];
        if (_aead)
        {
            if (!_cipher.Open(ssrc, index, header, ciphertext, tag, decrypted))
            {
                return SrtpResult.AuthenticationFailed;
            }
        }
        else
        {
            // RFC 3711 §3.3 step 5: authenticate (with the estimated ROC) before decrypting anything.
            Span<byte> roc = stackalloc byte[RocLength];
            BinaryPrimitives.WriteUInt32BigEndian(roc, (uint)(index >> 16));
            if (!_cipher.VerifyMac(packet[..plainLength], roc, tag))
            {
                return SrtpResult.AuthenticationFailed;
            }

            _cipher.CounterMode(ssrc, index, ciphertext, decrypted);
        }

        header.CopyTo(output);

        // Only now, authenticated: ROC and s_l follow the highest index (§3.3.1), the window records this one.
        _streams.Use(slot, ssrc).Window.Accept(index);
        written = plainLength;
        return SrtpResult.Ok;
    }

    public void Dispose() => _cipher.Dispose();

    // RFC 3550 §5.1, §5.3.1: the fixed header, CC CSRCs and, with X set, the extension (4 bytes + its length in words).
    // Padding (P) belongs to the payload and is encrypted with it (RFC 3711 §3.1).
    private static bool TryGetHeaderLength(ReadOnlySpan<byte> packet, out int headerLength)
    {
        headerLength = 0;
        if (packet.Length < FixedHeaderLength || packet[0] >> 6 != 2)
        {
            return false;
        }

        var length = FixedHeaderLength + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < length + 4)
            {
                return false;
            }

            length += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]));
        }

        if (packet.Length < length)
        {
            return false;
        }

        headerLength = length;
        return true;
    }
}

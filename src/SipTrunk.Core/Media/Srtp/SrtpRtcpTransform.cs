using System.Buffers;
using System.Buffers.Binary;

namespace SipTrunk.Core.Media.Srtp;

/// <summary>
/// The SRTCP half of a context (RFC 3711 §3.4, RFC 7714 §9): its own cipher and per-SSRC table, shared with nothing
/// on the RTP side. Protection always encrypts (E = 1); unprotection also takes authenticated-only packets (E = 0).
/// </summary>
internal sealed class SrtpRtcpTransform : IDisposable
{
    /// <summary>The RTCP header and sender SSRC, sent in the clear (RFC 3711 §3.4).</summary>
    private const int ClearLength = 8;
    private const int TrailerLength = 4;
    private const uint EncryptedFlag = 0x8000_0000;
    private const uint IndexMask = 0x7FFF_FFFF;
    private const int StackAssociatedDataLimit = 512;

    private readonly SrtpCipher _cipher;
    private readonly SrtpStreamTable<SrtpRtcpStream> _streams;
    private readonly int _tagLength;
    private readonly bool _aead;

    public SrtpRtcpTransform(SrtpSuite suite, SrtpCipher cipher, int maxStreams)
    {
        _cipher = cipher;
        _streams = new SrtpStreamTable<SrtpRtcpStream>(maxStreams);
        _tagLength = suite.RtcpTagLength;
        _aead = suite.IsAead;
    }

    /// <summary>Bytes SRTCP adds: E flag + index, and the tag.</summary>
    public int Overhead => TrailerLength + _tagLength;

    /// <summary>SSRCs with state.</summary>
    public int StreamCount => _streams.Count;

    public SrtpResult Protect(ReadOnlySpan<byte> packet, Span<byte> output, out int written)
    {
        written = 0;
        if (!IsRtcp(packet))
        {
            return SrtpResult.Malformed;
        }

        if (output.Length < packet.Length + Overhead)
        {
            return SrtpResult.OutputTooSmall;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        var slot = _streams.Find(ssrc);
        var index = slot >= 0 && _streams[slot].Sent ? _streams[slot].NextIndex : 0;
        var trailer = EncryptedFlag | index;

        packet[..ClearLength].CopyTo(output);
        var encrypted = output[ClearLength..packet.Length];
        if (_aead)
        {
            // RFC 7714 §9: header and SSRC plus E || index are the associated data; the tag precedes E || index.
            Span<byte> associatedData = stackalloc byte[ClearLength + TrailerLength];
            packet[..ClearLength].CopyTo(associatedData);
            BinaryPrimitives.WriteUInt32BigEndian(associatedData[ClearLength..], trailer);
            _cipher.Seal(ssrc, index, associatedData, packet[ClearLength..], encrypted, output.Slice(packet.Length, _tagLength));
            BinaryPrimitives.WriteUInt32BigEndian(output[(packet.Length + _tagLength)..], trailer);
        }
        else
        {
            // RFC 3711 §3.4: encrypt, append E || index, then authenticate everything before the tag.
            _cipher.CounterMode(ssrc, index, packet[ClearLength..], encrypted);
            BinaryPrimitives.WriteUInt32BigEndian(output[packet.Length..], trailer);
            _cipher.Mac(output[..(packet.Length + TrailerLength)], default, output.Slice(packet.Length + TrailerLength, _tagLength));
        }

        ref var stream = ref _streams.Use(slot, ssrc);
        stream.Sent = true;
        stream.NextIndex = (index + 1) & IndexMask;
        written = packet.Length + Overhead;
        return SrtpResult.Ok;
    }

    public SrtpResult Unprotect(ReadOnlySpan<byte> packet, Span<byte> output, out int written)
    {
        written = 0;
        if (packet.Length < ClearLength + Overhead || !IsRtcp(packet))
        {
            return SrtpResult.Malformed;
        }

        var plainLength = packet.Length - Overhead;
        if (output.Length < plainLength)
        {
            return SrtpResult.OutputTooSmall;
        }

        var trailerBytes = _aead ? packet[^TrailerLength..] : packet.Slice(plainLength, TrailerLength);
        var tag = _aead ? packet.Slice(plainLength, _tagLength) : packet[^_tagLength..];
        var trailer = BinaryPrimitives.ReadUInt32BigEndian(trailerBytes);
        var encrypted = (trailer & EncryptedFlag) != 0;
        var index = trailer & IndexMask;
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        var slot = _streams.Find(ssrc);
        if (slot >= 0 && _streams[slot].Window.IsReplay(index))
        {
            return SrtpResult.Replayed;
        }

        var body = packet[ClearLength..plainLength];
        var plainBody = output[ClearLength..plainLength];
        if (_aead)
        {
            if (!(encrypted ? OpenEncrypted(packet, ssrc, index, trailerBytes, body, tag, plainBody) : OpenAuthenticated(packet[..plainLength], ssrc, index, trailerBytes, tag)))
            {
                return SrtpResult.AuthenticationFailed;
            }

            if (!encrypted)
            {
                body.CopyTo(plainBody);
            }
        }
        else
        {
            if (!_cipher.VerifyMac(packet[..(plainLength + TrailerLength)], default, tag))
            {
                return SrtpResult.AuthenticationFailed;
            }

            if (encrypted)
            {
                _cipher.CounterMode(ssrc, index, body, plainBody);
            }
            else
            {
                body.CopyTo(plainBody);
            }
        }

        packet[..ClearLength].CopyTo(output);
        _streams.Use(slot, ssrc).Window.Accept(index);
        written = plainLength;
        return SrtpResult.Ok;
    }

    public void Dispose() => _cipher.Dispose();

    private static bool IsRtcp(ReadOnlySpan<byte> packet) => packet.Length >= ClearLength && packet[0] >> 6 == 2;

    private bool OpenEncrypted(ReadOnlySpan<byte> packet, uint ssrc, uint index, ReadOnlySpan<byte> trailer, ReadOnlySpan<byte> body, ReadOnlySpan<byte> tag, Span<byte> plainBody)
    {
        Span<byte> associatedData = stackalloc byte[ClearLength + TrailerLength];
        packet[..ClearLength].CopyTo(associatedData);
        trailer.CopyTo(associatedData[ClearLength..]);
        return _cipher.Open(ssrc, index, associatedData, body, tag, plainBody);
    }

    // RFC 7714 §9.3 (E = 0): the whole RTCP packet and E || index are associated data, nothing is encrypted. Rare
    // (nobody SipTrunk talks to sends it by default), so a long packet may take a pooled buffer.
    private bool OpenAuthenticated(ReadOnlySpan<byte> rtcp, uint ssrc, uint index, ReadOnlySpan<byte> trailer, ReadOnlySpan<byte> tag)
    {
        var length = rtcp.Length + TrailerLength;
        byte[]? rented = null;
        var associatedData = length <= StackAssociatedDataLimit
            ? stackalloc byte[StackAssociatedDataLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            rtcp.CopyTo(associatedData);
            trailer.CopyTo(associatedData[rtcp.Length..]);
            return _cipher.Open(ssrc, index, associatedData[..length], default, tag, default);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}

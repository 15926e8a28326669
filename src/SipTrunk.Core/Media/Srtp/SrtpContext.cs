namespace SipTrunk.Core.Media.Srtp;

/// <summary>
/// The SRTP and SRTCP state of one sender's master key (RFC 3711 §3.2): session keys, per-SSRC rollover counters and
/// replay windows, SRTCP indexes. One context serves one direction of one leg: the relay keeps one to unprotect what a
/// party sends (the key it put in its SDP) and one to protect what it sends that party (the key SipTrunk put in its SDP).
/// Several SSRCs may share it (an SSRC change is tolerated). RTP calls and RTCP calls may run concurrently with each
/// other; two RTP (or two RTCP) calls never do. No per-packet allocation.
/// </summary>
public sealed class SrtpContext : IDisposable
{
    /// <summary>
    /// SSRCs remembered per packet kind; beyond that the least recently used is forgotten. A leg normally carries one,
    /// a few after SSRC changes; 16 bounds what a peer inventing SSRCs can make the relay hold.
    /// </summary>
    internal const int MaxStreams = 16;

    // The RTP and RTCP halves share no mutable state (keys, crypto objects, tables), which is what lets them run at once.
    private readonly SrtpRtpTransform _rtp;
    private readonly SrtpRtcpTransform _rtcp;

    private SrtpContext(SrtpSuite suite, SrtpCipher rtp, SrtpCipher rtcp)
    {
        Suite = suite;
        _rtp = new SrtpRtpTransform(suite, rtp, MaxStreams);
        _rtcp = new SrtpRtcpTransform(suite, rtcp, MaxStreams);
    }

    /// <summary>The suite this context was created for.</summary>
    public SrtpSuite Suite { get; }

    /// <summary>Bytes SRTP adds to an RTP packet (the tag).</summary>
    public int RtpOverhead => Suite.RtpTagLength;

    /// <summary>Bytes SRTCP adds to an RTCP packet (E flag + index, and the tag).</summary>
    public int RtcpOverhead => 4 + Suite.RtcpTagLength;

    /// <summary>SSRCs with SRTP state (at most 16).</summary>
    internal int RtpStreamCount => _rtp.StreamCount;

    /// <summary>
    /// The 48-bit SRTP indexes (ROC || SEQ, RFC 3711 §3.3.1) reached for <paramref name="ssrc"/>: the highest protected
    /// and the highest authenticated, null where none. Not for concurrent use with RTP calls.
    /// </summary>
    internal (ulong? Sent, ulong? Received) GetRtpIndexes(uint ssrc) => _rtp.GetIndexes(ssrc);

    /// <summary>Creates a context from a master key and salt (their lengths must match the suite).</summary>
    public static SrtpContext Create(SrtpSuite suite, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        ArgumentNullException.ThrowIfNull(suite);
        if (masterKey.Length != suite.KeyLength || masterSalt.Length != suite.SaltLength)
        {
            throw new ArgumentException($"{suite.Name} needs a {suite.KeyLength}-byte key and a {suite.SaltLength}-byte salt.");
        }

        // RFC 3711 §4.3 with key_derivation_rate 0: all six session keys are derived once, here.
        var rtp = SrtpCipher.Derive(suite, masterKey, masterSalt, rtcp: false);
        try
        {
            return new SrtpContext(suite, rtp, SrtpCipher.Derive(suite, masterKey, masterSalt, rtcp: true));
        }
        catch
        {
            rtp.Dispose();
            throw;
        }
    }

    /// <summary>A context keyed with session keys directly (the RFC 7714 test vectors give them so); takes ownership.</summary>
    internal static SrtpContext CreateWithSessionKeys(SrtpSuite suite, SrtpCipher rtp, SrtpCipher rtcp) => new(suite, rtp, rtcp);

    /// <summary>Encrypts and authenticates an RTP packet into <paramref name="output"/> (which may not overlap the input).</summary>
    public SrtpResult ProtectRtp(ReadOnlySpan<byte> packet, Span<byte> output, out int written)
    {
        CheckNoOverlap(packet, output);
        return _rtp.Protect(packet, output, out written);
    }

    /// <summary>Checks and decrypts an SRTP packet into <paramref name="output"/>; a forged or replayed packet leaves the state unchanged.</summary>
    public SrtpResult UnprotectRtp(ReadOnlySpan<byte> packet, Span<byte> output, out int written)
    {
        CheckNoOverlap(packet, output);
        return _rtp.Unprotect(packet, output, out written);
    }

    /// <summary>Encrypts and authenticates an RTCP compound packet (SRTCP index and E flag appended; RFC 3711 §3.4).</summary>
    public SrtpResult ProtectRtcp(ReadOnlySpan<byte> packet, Span<byte> output, out int written)
    {
        CheckNoOverlap(packet, output);
        return _rtcp.Protect(packet, output, out written);
    }

    /// <summary>Checks and decrypts an SRTCP packet.</summary>
    public SrtpResult UnprotectRtcp(ReadOnlySpan<byte> packet, Span<byte> output, out int written)
    {
        CheckNoOverlap(packet, output);
        return _rtcp.Unprotect(packet, output, out written);
    }

    /// <summary>Clears the session keys.</summary>
    public void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }

    private static void CheckNoOverlap(ReadOnlySpan<byte> packet, Span<byte> output)
    {
        if (packet.Overlaps(output))
        {
            throw new ArgumentException("The output may not overlap the packet.", nameof(output));
        }
    }
}

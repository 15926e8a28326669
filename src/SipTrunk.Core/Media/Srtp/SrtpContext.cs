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
    private SrtpContext(SrtpSuite suite) => Suite = suite;

    /// <summary>The suite this context was created for.</summary>
    public SrtpSuite Suite { get; }

    /// <summary>Bytes SRTP adds to an RTP packet (the tag).</summary>
    public int RtpOverhead => Suite.RtpTagLength;

    /// <summary>Bytes SRTCP adds to an RTCP packet (E flag + index, and the tag).</summary>
    public int RtcpOverhead => 4 + Suite.RtcpTagLength;

    /// <summary>Creates a context from a master key and salt (their lengths must match the suite).</summary>
    public static SrtpContext Create(SrtpSuite suite, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        ArgumentNullException.ThrowIfNull(suite);
        if (masterKey.Length != suite.KeyLength || masterSalt.Length != suite.SaltLength)
        {
            throw new ArgumentException($"{suite.Name} needs a {suite.KeyLength}-byte key and a {suite.SaltLength}-byte salt.");
        }

        throw new NotImplementedException("STUB: SRTP helper");
    }

    /// <summary>Encrypts and authenticates an RTP packet into <paramref name="output"/> (which may not overlap the input).</summary>
    public SrtpResult ProtectRtp(ReadOnlySpan<byte> packet, Span<byte> output, out int written) => throw new NotImplementedException();

    /// <summary>Checks and decrypts an SRTP packet into <paramref name="output"/>; a forged or replayed packet leaves the state unchanged.</summary>
    public SrtpResult UnprotectRtp(ReadOnlySpan<byte> packet, Span<byte> output, out int written) => throw new NotImplementedException();

    /// <summary>Encrypts and authenticates an RTCP compound packet (SRTCP index and E flag appended; RFC 3711 §3.4).</summary>
    public SrtpResult ProtectRtcp(ReadOnlySpan<byte> packet, Span<byte> output, out int written) => throw new NotImplementedException();

    /// <summary>Checks and decrypts an SRTCP packet.</summary>
    public SrtpResult UnprotectRtcp(ReadOnlySpan<byte> packet, Span<byte> output, out int written) => throw new NotImplementedException();

    /// <summary>Clears the session keys.</summary>
    public void Dispose()
    {
    }
}

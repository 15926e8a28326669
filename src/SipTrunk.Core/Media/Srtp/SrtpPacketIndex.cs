namespace SipTrunk.Core.Media.Srtp;

/// <summary>
/// SRTP packet index estimation (RFC 3711 §3.3.1, Appendix A): from the highest index seen so far (ROC || s_l) and a
/// packet's 16-bit sequence number, the 48-bit index i = 2^16 * v + SEQ with v one of ROC - 1, ROC, ROC + 1.
/// </summary>
internal static class SrtpPacketIndex
{
    private const long Half = 1 << 15;

    /// <summary>The estimated index, or -1 when the guess is ROC - 1 with ROC already 0 (a packet from before the stream began).</summary>
    public static long Estimate(ulong highest, ushort sequence)
    {
        var roc = (long)(highest >> 16);
        var highestSequence = (long)(highest & 0xFFFF);
        long v;
        if (highestSequence < Half)
        {
            v = sequence - highestSequence > Half ? roc - 1 : roc;
        }
        else
        {
            v = highestSequence - Half > sequence ? roc + 1 : roc;
        }

        return v < 0 ? -1 : (v << 16) | sequence;
    }
}

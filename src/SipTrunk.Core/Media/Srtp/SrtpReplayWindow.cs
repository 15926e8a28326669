namespace SipTrunk.Core.Media.Srtp;

/// <summary>
/// The receiver's replay list (RFC 3711 §3.3.2) as a sliding bitmask of <see cref="Size"/> indexes: the highest index
/// authenticated so far and which of the ones just below it have been seen. Anything older than the window is
/// refused as a replay. A mutable value kept inside the per-SSRC state; it changes only after a packet authenticated.
/// The default value is empty: nothing is a replay, and the first index accepted starts it.
/// </summary>
internal struct SrtpReplayWindow
{
    /// <summary>Indexes the window remembers (RFC 3711 §3.3.2 asks for at least 64).</summary>
    public const int Size = 128;

    // Bit d set: index Highest - d was accepted.
    private UInt128 _seen;

    /// <summary>Whether an index was accepted yet (a receiver's first packet of an SSRC, RFC 3711 §3.3.1).</summary>
    public bool HasAccepted { get; private set; }

    /// <summary>The highest index accepted (for SRTP the 48-bit ROC || SEQ, whose parts drive index estimation).</summary>
    public ulong Highest { get; private set; }

    /// <summary>Whether <paramref name="index"/> was already accepted or is too old to tell.</summary>
    public readonly bool IsReplay(ulong index)
    {
        if (!HasAccepted || index > Highest)
        {
            return false;
        }

        var delta = Highest - index;
        return delta >= Size || ((_seen >> (int)delta) & UInt128.One) != UInt128.Zero;
    }

    /// <summary>Records <paramref name="index"/> (which passed <see cref="IsReplay"/> and authenticated).</summary>
    public void Accept(ulong index)
    {
        if (!HasAccepted)
        {
            HasAccepted = true;
            Highest = index;
            _seen = UInt128.One;
        }
        else if (index > Highest)
        {
            var shift = index - Highest;
            _seen = shift >= Size ? UInt128.One : (_seen << (int)shift) | UInt128.One;
            Highest = index;
        }
        else
        {
            _seen |= UInt128.One << (int)(Highest - index);
        }
    }
}

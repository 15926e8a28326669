namespace SipTrunk.Core.Media;

/// <summary>One <c>m=</c> line of a call: the relay stream carrying it and both parties' legs.</summary>
internal sealed class MediaStreamState
{
    /// <summary>The caller's leg (relay leg A).</summary>
    public MediaLeg Caller { get; } = new();

    /// <summary>The callee's leg (relay leg B).</summary>
    public MediaLeg Callee { get; } = new();

    /// <summary>The relay stream; null while the stream was never relayed (declined or not RTP).</summary>
    public RelayStream? Relay { get; set; }

    /// <summary>Packets pass byte for byte (passthrough mode with both legs on the same SDES keys).</summary>
    public bool Passthrough { get; set; }

    /// <summary>An answer has settled this stream at least once (before that, nothing is relayed either way).</summary>
    public bool Negotiated { get; set; }

    /// <summary>Not relayed at all (declined by either side or a protocol SipTrunk does not anchor).</summary>
    public bool Declined { get; set; }

    /// <summary>Both parties said <c>inactive</c> (or hold both ways): no media is expected, so no inactivity timeout.</summary>
    public bool Inactive { get; set; }

    public MediaLeg Leg(MediaSide side) => side == MediaSide.Caller ? Caller : Callee;
}

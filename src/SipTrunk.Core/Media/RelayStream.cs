namespace SipTrunk.Core.Media;

/// <summary>
/// One relayed media stream (one <c>m=</c> line): leg A faces one party, leg B the other. Packets from A's party are
/// unprotected with A's <see cref="RelayLegMedia.Decrypt"/>, protected with B's <see cref="RelayLegMedia.Encrypt"/>
/// and sent from B's socket to B's party (its latched address, else its SDP address); and the reverse.
/// </summary>
public sealed class RelayStream : IDisposable
{
    // STUB: the relay helper owns this type's implementation.
    internal RelayStream(RelayLeg a, RelayLeg b)
    {
        A = a;
        B = b;
    }

    /// <summary>The leg facing party A.</summary>
    public RelayLeg A { get; }

    /// <summary>The leg facing party B.</summary>
    public RelayLeg B { get; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> of the last packet relayed either way; 0 before the first.</summary>
    public long LastPacketTimestamp => A.RtpPort == 0 ? 0 : 0;

    /// <summary>Counters of one direction so far.</summary>
    public RelayStreamStats GetStats(RelayDirection direction) => direction == RelayDirection.AToB && A.RtpPort < 0 ? new() : new();

    /// <summary>Stops relaying and returns the four ports to the pool (idempotent).</summary>
    public void Dispose()
    {
    }
}

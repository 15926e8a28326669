using System.Net;

namespace SipTrunk.Testing.Media;

/// <summary>One UDP datagram read back from a capture (see <see cref="Peers.TsharkCapture"/>).</summary>
/// <param name="Time">When it was captured.</param>
/// <param name="Source">Sender address and port.</param>
/// <param name="Destination">Receiver address and port.</param>
/// <param name="UdpLength">The UDP length field: 8 header bytes plus the payload.</param>
/// <param name="Payload">The UDP payload (RTP, SRTP, RTCP, ...).</param>
public sealed record CapturedUdpPacket(DateTimeOffset Time, IPEndPoint Source, IPEndPoint Destination, int UdpLength, ReadOnlyMemory<byte> Payload)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Time:HH:mm:ss.ffffff} {Source} -> {Destination} {Payload.Length} bytes";
}

using System.Net;

namespace SipTrunk.Core.Media;

/// <summary>One side of a <see cref="RelayStream"/>: the RTP/RTCP socket pair SipTrunk advertises to one party.</summary>
public sealed class RelayLeg
{
    private readonly Lock _configureLock = new();
    private RelayLegState _state;
    private RelayLeg? _peer;

    internal RelayLeg(MediaPortPair ports, RelayRuntime runtime)
    {
        RtpPort = ports.RtpPort;
        RtpSocket = new RelaySocket(ports.Rtp, isRtcp: false, this, runtime);
        RtcpSocket = new RelaySocket(ports.Rtcp, isRtcp: true, this, runtime);
        _state = new RelayLegState(new RelayLegMedia(), ports.Rtp.AddressFamily, epoch: 0);
    }

    /// <summary>The local RTP port (even); written into the SDP sent to this leg's party.</summary>
    public int RtpPort { get; }

    /// <summary>The local RTCP port (<see cref="RtpPort"/> + 1).</summary>
    public int RtcpPort => RtpPort + 1;

    /// <summary>The party's RTP source once latched (RFC 4961); <see langword="null"/> before the first valid packet.</summary>
    public IPEndPoint? LatchedRtp => RtpSocket.CurrentLatch(State.Epoch)?.EndPoint;

    /// <summary>The party's RTCP source once latched on <see cref="RtcpPort"/>; <see langword="null"/> before (and with rtcp-mux).</summary>
    public IPEndPoint? LatchedRtcp => RtcpSocket.CurrentLatch(State.Epoch)?.EndPoint;

    /// <summary>The media settings now in force (safe to read from any thread).</summary>
    public RelayLegMedia Media => State.Media;

    internal RelaySocket RtpSocket { get; }

    internal RelaySocket RtcpSocket { get; }

    /// <summary>Serializes the SRTCP calls of packets this leg's party sends (see <see cref="RelaySocket"/>).</summary>
    internal Lock InboundRtcpGate { get; } = new();

    /// <summary>The current settings snapshot, read once per packet.</summary>
    internal RelayLegState State => Volatile.Read(ref _state);

    /// <summary>The other leg of the stream, where this leg's packets go.</summary>
    internal RelayLeg Peer => _peer ?? throw new InvalidOperationException("The leg is not part of a stream.");

    /// <summary>
    /// Replaces the leg's settings (new SDP); takes effect for the next packet. A changed target address resets latching.
    /// The relay does not own the SRTP contexts: keep a replaced context undisposed until the receive loops can no
    /// longer be using it (a packet in flight when Configure runs may still go through the old one).
    /// </summary>
    public void Configure(RelayLegMedia media)
    {
        ArgumentNullException.ThrowIfNull(media);
        lock (_configureLock)
        {
            var current = _state;

            // A new address in the SDP means the party moved (re-INVITE, transfer): whatever source was latched
            // belongs to the old one.
            var epoch = current.TargetsDiffer(media) ? current.Epoch + 1 : current.Epoch;
            Volatile.Write(ref _state, new RelayLegState(media, RtpSocket.AddressFamily, epoch));
        }
    }

    internal void Pair(RelayLeg peer) => _peer = peer;

    internal void Close()
    {
        RtpSocket.Close();
        RtcpSocket.Close();
    }
}

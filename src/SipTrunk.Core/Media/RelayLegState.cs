using System.Net;
using System.Net.Sockets;

namespace SipTrunk.Core.Media;

/// <summary>
/// One <see cref="RelayLeg.Configure"/> as the receive loops see it: the media settings, their targets serialized once
/// for <see cref="Socket.SendTo(ReadOnlySpan{byte}, SocketFlags, SocketAddress)"/>, and the latch epoch. Immutable and
/// swapped whole, so a loop reads one consistent snapshot per packet.
/// </summary>
internal sealed class RelayLegState
{
    public RelayLegState(RelayLegMedia media, AddressFamily family, int epoch)
    {
        Media = media;
        Epoch = epoch;
        RtpTarget = Serialize(media.RtpTarget, family);

        // RFC 3605: without a=rtcp the party's RTCP port is its RTP port + 1.
        var rtcp = media.RtcpTarget
            ?? (media.RtpTarget is { Port: < IPEndPoint.MaxPort } rtpTarget ? new IPEndPoint(rtpTarget.Address, rtpTarget.Port + 1) : null);
        RtcpTarget = Serialize(rtcp, family);
    }

    public RelayLegMedia Media { get; }

    /// <summary>Where RTP (and muxed RTCP) goes before the party's RTP source is latched.</summary>
    public SocketAddress? RtpTarget { get; }

    /// <summary>Where RTCP goes (without rtcp-mux) before the party's RTCP source is latched.</summary>
    public SocketAddress? RtcpTarget { get; }

    /// <summary>Bumped when a target address changes: latches of an older epoch no longer count.</summary>
    public int Epoch { get; }

    /// <summary>True when <paramref name="media"/> sends somewhere else than this state does.</summary>
    public bool TargetsDiffer(RelayLegMedia media) =>
        !Equals(Media.RtpTarget, media.RtpTarget) || !Equals(Media.RtcpTarget, media.RtcpTarget);

    private static SocketAddress? Serialize(IPEndPoint? target, AddressFamily family)
    {
        if (target is null)
        {
            return null;
        }

        // A dual-mode IPv6 socket sends to IPv4 parties as v4-mapped addresses and reports their packets that way too,
        // so the target must have the same form as the latched source.
        var address = target.Address;
        if (family == AddressFamily.InterNetworkV6 && address.AddressFamily == AddressFamily.InterNetwork)
        {
            address = address.MapToIPv6();
        }
        else if (family == AddressFamily.InterNetwork && address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return new IPEndPoint(address, target.Port).Serialize();
    }
}

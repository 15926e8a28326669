using System.Net.Sockets;

namespace SipTrunk.Core.Media;

/// <summary>An even RTP port and the odd RTCP port above it, both bound, as <see cref="MediaPortPool"/> hands them out.</summary>
internal readonly record struct MediaPortPair(int RtpPort, Socket Rtp, Socket Rtcp);

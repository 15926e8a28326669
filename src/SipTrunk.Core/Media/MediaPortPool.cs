using System.Net;
using System.Net.Sockets;

namespace SipTrunk.Core.Media;

/// <summary>
/// The even/odd UDP port pairs of <c>Media:PortRange</c> (RFC 3550 §11: RTP on an even port, RTCP on the next odd one),
/// bound on demand. Free pairs wait in release order and the pair released longest ago is handed out first, so a port
/// a stale sender of an ended call may still hit is reused as late as possible. A pair another process holds is skipped
/// and tried again after every other free pair. Thread-safe.
/// </summary>
internal sealed class MediaPortPool
{
    /// <summary>Kernel socket buffers: a burst of ~700 full-size packets per socket survives a scheduling hiccup.</summary>
    internal const int SocketBufferBytes = 1 << 20;

    // Windows reports an ICMP port unreachable as WSAECONNRESET on the next receive of an unconnected UDP socket unless
    // SIO_UDP_CONNRESET is off; Linux does not (no IP_RECVERR), the receive loop ignores it either way.
    private const int SioUdpConnReset = unchecked((int)0x9800000C);

    private readonly Lock _lock = new();
    private readonly Queue<int> _free = new();
    private readonly IPAddress _bindAddress;
    private int _portsInUse;

    public MediaPortPool(MediaRelaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(settings.BindAddress);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.PortMin, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.PortMax, IPEndPoint.MaxPort);
        _bindAddress = settings.BindAddress;
        var first = settings.PortMin + (settings.PortMin & 1);
        for (var port = first; port + 1 <= settings.PortMax; port += 2)
        {
            _free.Enqueue(port);
        }

        Capacity = _free.Count;
        if (Capacity == 0)
        {
            throw new ArgumentException($"Media:PortRange {settings.PortMin}-{settings.PortMax} holds no even/odd port pair.", nameof(settings));
        }
    }

    /// <summary>Port pairs in the range.</summary>
    public int Capacity { get; }

    /// <summary>Ports (not pairs) bound by pairs handed out and not yet released.</summary>
    public int PortsInUse => Volatile.Read(ref _portsInUse);

    /// <summary>Binds the free pair released longest ago, skipping pairs whose ports another socket holds.</summary>
    /// <exception cref="MediaPortsExhaustedException">Every pair is handed out or held by someone else.</exception>
    public MediaPortPair Allocate()
    {
        // Bounded by the free pairs at the start: each is tried at most once per call, and binding happens outside the
        // lock so concurrent calls do not queue behind each other's system calls.
        int attempts;
        lock (_lock)
        {
            attempts = _free.Count;
        }

        for (var i = 0; i < attempts; i++)
        {
            int port;
            lock (_lock)
            {
                if (!_free.TryDequeue(out port))
                {
                    break;
                }
            }

            var pair = TryBind(port);
            lock (_lock)
            {
                if (pair is { } bound)
                {
                    _portsInUse += 2;
                    return bound;
                }

                _free.Enqueue(port);
            }
        }

        throw new MediaPortsExhaustedException($"No free media port pair is left in Media:PortRange ({PortsInUse} ports in use by SipTrunk, {Capacity} pairs in the range).");
    }

    /// <summary>Puts a pair handed out by <see cref="Allocate"/> back, after its sockets are closed.</summary>
    public void Release(int rtpPort)
    {
        lock (_lock)
        {
            _free.Enqueue(rtpPort);
            _portsInUse -= 2;
        }
    }

    private MediaPortPair? TryBind(int port)
    {
        Socket? rtp = null;
        Socket? rtcp = null;
        try
        {
            rtp = Bind(port);
            rtcp = Bind(port + 1);
            return new MediaPortPair(port, rtp, rtcp);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            rtp?.Dispose();
            rtcp?.Dispose();
            return null;
        }
        catch
        {
            rtp?.Dispose();
            rtcp?.Dispose();
            throw;
        }
    }

    private Socket Bind(int port)
    {
        var socket = new Socket(_bindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (_bindAddress.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.ReceiveBufferSize = SocketBufferBytes;
            socket.SendBufferSize = SocketBufferBytes;

            // A full send buffer drops the packet (a SocketException the relay counts) instead of blocking a pool thread
            // that serves other streams.
            socket.Blocking = false;
            if (OperatingSystem.IsWindows())
            {
                socket.IOControl(SioUdpConnReset, [0, 0, 0, 0], null);
            }

            socket.Bind(new IPEndPoint(_bindAddress, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

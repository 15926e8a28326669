using System.Net;
using System.Net.Sockets;

namespace SipTrunk.Testing;

/// <summary>
/// Free loopback ports for child processes that need a port number up front (stunnel, SIPp, siptrunk configs).
/// The kernel picks the port (bind to port 0) and the socket is closed again, so another process could take it
/// before the child binds it; the kernel hands ephemeral ports out in turn, which makes that rare, and every child
/// start here fails loudly (with its log) when its bind fails.
/// </summary>
public static class FreePort
{
    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now.</summary>
    public static int Tcp()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    /// <summary>A UDP port on 127.0.0.1 that nothing is bound to right now.</summary>
    public static int Udp()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

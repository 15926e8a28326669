using System.Net;
using System.Net.Sockets;

namespace SipTrunk.Core.Tests.Media;

/// <summary>A media party on 127.0.0.1: one UDP socket on a port the kernel picks.</summary>
internal sealed class UdpParty : IDisposable
{
    private static readonly TimeSpan ReceiveLimit = TimeSpan.FromSeconds(10);
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public UdpParty() => _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Datagrams waiting in the socket (0: nothing more arrived so far).</summary>
    public int Pending => _socket.Available;

    public void SendTo(int port, ReadOnlySpan<byte> packet) => _socket.SendTo(packet, SocketFlags.None, new IPEndPoint(IPAddress.Loopback, port));

    /// <summary>The next datagram and where it came from; fails the test when none comes within 10 s.</summary>
    public async Task<(byte[] Packet, IPEndPoint From)> ReceiveAsync()
    {
        var buffer = new byte[4096];
        using var limit = new CancellationTokenSource(ReceiveLimit);
        try
        {
            var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), limit.Token);
            return (buffer[..result.ReceivedBytes], (IPEndPoint)result.RemoteEndPoint);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Nothing arrived at {EndPoint} within {ReceiveLimit.TotalSeconds} s.");
        }
    }

    public void Dispose() => _socket.Dispose();
}

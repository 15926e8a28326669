using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SipTrunk.IntegrationTests.Flood;

/// <summary>A hand-driven UDP socket on a loopback source address of its own: sends one datagram, reads the reply.</summary>
internal sealed class UdpProbe : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _target;

    public UdpProbe(string source, int targetPort)
    {
        _socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        _target = new IPEndPoint(IPAddress.Loopback, targetPort);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Sends <paramref name="message"/> and returns the first datagram back, or null if none came within <paramref name="wait"/>.</summary>
    public async Task<string?> ExchangeAsync(string message, TimeSpan wait)
    {
        await _socket.SendToAsync(Encoding.ASCII.GetBytes(message), SocketFlags.None, _target);
        var buffer = new byte[65536];
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>A request from this probe with the given method, CSeq text and extra header lines.</summary>
    public string Request(string method, string cseq, string extra = "")
    {
        var local = $"{LocalEndPoint.Address}:{LocalEndPoint.Port}";
        var branch = "z9hG4bK" + Guid.NewGuid().ToString("N");
        return $"{method} sip:100@127.0.0.1:{_target.Port} SIP/2.0\r\n"
            + $"Via: SIP/2.0/UDP {local};branch={branch};rport\r\n"
            + "Max-Forwards: 70\r\n"
            + $"From: <sip:probe@{local}>;tag=probe1\r\n"
            + $"To: <sip:100@127.0.0.1:{_target.Port}>\r\n"
            + $"Call-ID: {Guid.NewGuid():N}@probe\r\n"
            + $"CSeq: {cseq}\r\n"
            + extra
            + "Content-Length: 0\r\n\r\n";
    }

    public void Dispose() => _socket.Dispose();
}

using System.Net;
using System.Net.Sockets;
using SipTrunk.Core.Media;

namespace SipTrunk.Core.Tests.Media;

/// <summary>
/// Port ranges for relays under test: blocks of 30000-32767 (below Linux's ephemeral range, apart from the bench scripts'
/// 12000-19999 and the default Media:PortRange), handed out in turn from a random start so parallel tests in this
/// process never share one, and skipped when anything is bound in them now.
/// </summary>
internal static class RelayPorts
{
    private const int First = 30000;
    private const int Last = 32767;
    private const int BlockSize = 32;

    private static int s_block = Random.Shared.Next((Last - First + 1) / BlockSize);

    /// <summary>Settings on 127.0.0.1 whose range is <paramref name="ports"/> free ports starting at an even port.</summary>
    public static MediaRelaySettings Take(int ports)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ports, BlockSize);
        const int blocks = (Last - First + 1) / BlockSize;
        for (var attempt = 0; attempt < blocks; attempt++)
        {
            var start = First + (Interlocked.Increment(ref s_block) % blocks * BlockSize);
            if (AllFree(start, ports))
            {
                return new MediaRelaySettings { BindAddress = IPAddress.Loopback, PortMin = start, PortMax = start + ports - 1 };
            }
        }

        throw new InvalidOperationException("No free block of UDP ports in 30000-32767.");
    }

    private static bool AllFree(int start, int ports)
    {
        var probes = new List<Socket>();
        try
        {
            for (var port = start; port < start + ports; port++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                probes.Add(socket);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            foreach (var socket in probes)
            {
                socket.Dispose();
            }
        }
    }
}

using System.Net;
using System.Net.Sockets;
using SipTrunk.Testing.Peers;

namespace SipTrunk.IntegrationTests.Media;

public sealed class TsharkCaptureTests
{
    [Fact]
    public async Task StopAsync_DatagramsSentJustBefore_ReadBackWhole()
    {
        using var sender = Bound();
        using var receiver = Bound();
        using var other = Bound();
        var to = (IPEndPoint)receiver.LocalEndPoint!;
        await using var capture = await TsharkCapture.StartAsync($"udp and dst port {to.Port}");
        byte[][] payloads = [[0x80, 0, 1, 2], [.. Enumerable.Range(0, 300).Select(i => (byte)i)], [0xFF]];

        foreach (var payload in payloads)
        {
            await sender.SendToAsync(payload, to);
        }

        await sender.SendToAsync(new byte[] { 1 }, other.LocalEndPoint!);

        // No pause: StopAsync itself makes sure what was sent before it is in the file.
        var packets = await capture.StopAsync();

        Assert.Equal(payloads.Length, packets.Count);
        for (var i = 0; i < payloads.Length; i++)
        {
            Assert.Equal(sender.LocalEndPoint, packets[i].Source);
            Assert.Equal(to, packets[i].Destination);
            Assert.Equal(payloads[i], packets[i].Payload.ToArray());
            Assert.Equal(payloads[i].Length + 8, packets[i].UdpLength);
        }

        Assert.True(packets[^1].Time >= packets[0].Time && packets[0].Time > DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public async Task StartAsync_InvalidFilter_ThrowsWithTsharksReason()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TsharkCapture.StartAsync("udp and and"));

        Assert.Contains("capture filter", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}

using System.Net;
using System.Net.Sockets;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Transport;

/// <summary>Binding, stopping, UDP, and finding flows again.</summary>
public sealed class SipTransportServiceTests(TransportPki pki) : IClassFixture<TransportPki>
{
    [Fact]
    public async Task StartAsync_PortZero_ReportsTheBoundEndPoints()
    {
        await using var harness = await TransportHarness.StartAsync(
            [TransportHarness.Tcp(), TransportHarness.Udp(), TransportHarness.Tls()], tls: pki.Tls());

        Assert.Equal(["tcp", "udp", "tls"], harness.Service.Listeners.Select(l => l.Definition.Name));
        Assert.All(harness.Service.Listeners, l =>
        {
            Assert.Equal(IPAddress.Loopback, l.LocalEndPoint.Address);
            Assert.NotEqual(0, l.LocalEndPoint.Port);
        });
    }

    [Fact]
    public async Task StartAsync_PortInUse_ThrowsNamingTheListenerAndAddress()
    {
        using var squatter = Wire.ListenTcp();
        var busy = (IPEndPoint)squatter.LocalEndPoint!;
        await using var service = NewService();

        var error = await Assert.ThrowsAsync<SipTransportException>(() => service.StartAsync(
            [TransportHarness.Tcp("fine"), new ListenerDefinition("peers", SipTransportKind.Tcp, busy, ClientCertificateRequirement.None)],
            CancellationToken.None));

        Assert.Contains("'peers'", error.Message, StringComparison.Ordinal);
        Assert.Contains(busy.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Empty(service.Listeners);
    }

    [Fact]
    public async Task StartAsync_TlsListenerWithoutTlsSettings_Throws()
    {
        await using var service = NewService();

        await Assert.ThrowsAsync<ArgumentException>(() => service.StartAsync([TransportHarness.Tls()], CancellationToken.None));
    }

    [Fact]
    public async Task Udp_RequestAndAnswer_TravelOnTheFlowOfTheSender()
    {
        await using var harness = await TransportHarness.StartAsync([TransportHarness.Udp()]);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await client.SendAsync("\r\n\r\n"u8.ToArray(), harness.EndPoint());
        await client.SendAsync(SipSamples.Options("udp-1", "UDP"), harness.EndPoint());
        var (request, flow) = await harness.Sink.NextMessageAsync();

        Assert.Equal("udp-1", request.CallId);
        Assert.Equal(SipTransportKind.Udp, flow.Transport);
        Assert.False(flow.IsReliable);
        Assert.Equal("udp", flow.ListenerName);
        Assert.Equal(client.Client.LocalEndPoint, flow.RemoteEndPoint);
        Assert.Same(flow, harness.Service.FindFlow(flow.Id));
        Assert.Same(flow, harness.Service.FindFlow(SipTransportKind.Udp, flow.RemoteEndPoint));
        Assert.Equal(0, harness.Sink.PendingUnparsable);

        Assert.True(flow.TrySend(SipResponses.Create((SipRequest)request, 200, "OK", "u").ToArray()));
        var datagram = await client.ReceiveAsync().WaitAsync(Wire.Patience);
        var response = SipParser.Parse(datagram.Buffer);
        Assert.True(response.Success, response.Error);
        Assert.Equal(200, Assert.IsType<SipResponse>(response.Message).StatusCode);
    }

    [Fact]
    public async Task Udp_UnparsableDatagram_ReportedAndCounted()
    {
        await using var harness = await TransportHarness.StartAsync([TransportHarness.Udp()]);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await client.SendAsync("hello there\r\n\r\n"u8.ToArray(), harness.EndPoint());
        await client.SendAsync(SipSamples.Options("next", "UDP"), harness.EndPoint());

        var (_, _, badFlow) = await harness.Sink.NextUnparsableAsync();
        var (_, flow) = await harness.Sink.NextMessageAsync();
        Assert.Same(badFlow, flow);
        Assert.Equal(1, harness.Metrics.MalformedMessages.Get("udp"));
    }

    [Fact]
    public async Task ConnectAsync_UdpWithoutListener_SendsFromAnEphemeralSocketAndReceivesReplies()
    {
        await using var carrier = await TransportHarness.StartAsync([TransportHarness.Udp()]);
        await using var trunk = await TransportHarness.StartAsync([]);
        var target = new OutboundTarget { Key = "udp-carrier", Transport = SipTransportKind.Udp, Host = "127.0.0.1", Port = carrier.EndPoint().Port };

        var flow = await trunk.Service.ConnectAsync(target, CancellationToken.None);
        Assert.True(flow.TrySend(SipSamples.Options("eph", "UDP")));
        var (request, carrierFlow) = await carrier.Sink.NextMessageAsync();
        Assert.True(carrierFlow.TrySend(SipResponses.Create((SipRequest)request, 200, "OK", "e").ToArray()));
        var (response, responseFlow) = await trunk.Sink.NextMessageAsync();

        Assert.Equal(200, Assert.IsType<SipResponse>(response).StatusCode);
        Assert.Same(flow, responseFlow);
        Assert.Equal(carrier.EndPoint(), flow.RemoteEndPoint);
        Assert.Same(flow, await trunk.Service.ConnectAsync(target, CancellationToken.None));
    }

    [Fact]
    public async Task ConnectAsync_UdpWithListener_SendsFromTheListenerSocket()
    {
        await using var carrier = await TransportHarness.StartAsync([TransportHarness.Udp()]);
        await using var trunk = await TransportHarness.StartAsync([TransportHarness.Udp("trunk-udp")]);
        var target = new OutboundTarget { Key = "udp-carrier", Transport = SipTransportKind.Udp, Host = "127.0.0.1", Port = carrier.EndPoint().Port };

        var flow = await trunk.Service.ConnectAsync(target, CancellationToken.None);
        flow.TrySend(SipSamples.Options("from-listener", "UDP"));
        var (_, carrierFlow) = await carrier.Sink.NextMessageAsync();

        Assert.Equal(trunk.EndPoint("trunk-udp"), carrierFlow.RemoteEndPoint);
        Assert.Equal("trunk-udp", flow.ListenerName);
    }

    [Fact]
    public async Task StopAsync_OpenFlows_ClosesThemAllAndStopsAccepting()
    {
        var harness = await TransportHarness.StartAsync([TransportHarness.Tcp(), TransportHarness.Udp()]);
        using var tcp = await Wire.ConnectTcpAsync(harness.EndPoint("tcp"));
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await tcp.SendAsync(SipSamples.Options("t"));
        var (_, tcpFlow) = await harness.Sink.NextMessageAsync();
        await udp.SendAsync(SipSamples.Options("u", "UDP"), harness.EndPoint("udp"));
        var (_, udpFlow) = await harness.Sink.NextMessageAsync();

        await harness.Service.StopAsync(CancellationToken.None);

        Assert.True(tcpFlow.IsClosed);
        Assert.True(udpFlow.IsClosed);
        var closed = new[] { await harness.Sink.NextClosedAsync(), await harness.Sink.NextClosedAsync() };
        Assert.Contains(tcpFlow, closed);
        Assert.Contains(udpFlow, closed);
        Assert.Equal(0, harness.Service.ConnectionCount);
        Assert.Empty(harness.Metrics.ConnectionsClosed.Snapshot());
        await Wire.WaitForCloseAsync(tcp);
        await Assert.ThrowsAsync<SocketException>(() => Wire.ConnectTcpAsync(harness.EndPoint("tcp")));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => harness.Service.ConnectAsync(
            new OutboundTarget { Key = "k", Transport = SipTransportKind.Tcp, Host = "127.0.0.1", Port = 1 }, CancellationToken.None).AsTask());
        await harness.DisposeAsync();
    }

    private static SipTransportService NewService() => new(
        new TransportSettings(), null, new RecordingSink(), new SipTrunkMetrics(), TimeProvider.System, new ListLogger<SipTransportService>());
}

using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Transport;

/// <summary>A connection's receive loop: framing, keep-alives, timeouts, and sending back down the flow.</summary>
public sealed class StreamFlowTests
{
    [Fact]
    public async Task Receive_MessagesInOneSegmentAndSplit_DeliveredInOrderOnOneFlow()
    {
        await using var harness = await TransportHarness.StartAsync([TransportHarness.Tcp()]);
        using var socket = await Wire.ConnectTcpAsync(harness.EndPoint());
        var first = SipSamples.Options("a");
        var second = SipSamples.Options("b", body: "v=0\r\n");

        await socket.SendAsync((byte[])[.. first, .. second[..10]]);
        var (m1, flow1) = await harness.Sink.NextMessageAsync();
        await socket.SendAsync(second.AsMemory(10));
        var (m2, flow2) = await harness.Sink.NextMessageAsync();

        Assert.Equal("a", m1.CallId);
        Assert.Equal("b", m2.CallId);
        Assert.Equal("v=0\r\n", Encoding.ASCII.GetString(m2.Body.Span));
        Assert.Same(flow1, flow2);
        Assert.Equal(SipTransportKind.Tcp, flow1.Transport);
        Assert.Equal(socket.LocalEndPoint, flow1.RemoteEndPoint);
        Assert.Same(flow1, harness.Service.FindFlow(flow1.Id));
        Assert.Same(flow1, harness.Service.FindFlow(SipTransportKind.Tcp, flow1.RemoteEndPoint));
    }

    [Fact]
    public async Task Receive_FramedButUnparsable_ReportedAndTheNextMessageStillArrives()
    {
        await using var harness = await TransportHarness.StartAsync([TransportHarness.Tcp()]);
        using var socket = await Wire.ConnectTcpAsync(harness.EndPoint());

        await socket.SendAsync("NOT A SIP START LINE\r\nVia: x\r\n\r\n"u8.ToArray());
        await socket.SendAsync(SipSamples.Options("after"));

        var (frame, reason, badFlow) = await harness.Sink.NextUnparsableAsync();
        var (message, flow) = await harness.Sink.NextMessageAsync();
        Assert.StartsWith("NOT A SIP", Encoding.ASCII.GetString(frame), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(reason));
        Assert.Equal("after", message.CallId);
        Assert.Same(badFlow, flow);
        Assert.False(flow.IsClosed);
        Assert.Equal(1, harness.Metrics.MalformedMessages.Get("tcp"));
    }

    [Fact]
    public async Task Receive_BadContentLength_ClosesTheConnection()
    {
        await using var harness = await TransportHarness.StartAsync([TransportHarness.Tcp()]);
        using var socket = await Wire.ConnectTcpAsync(harness.EndPoint());
        await socket.SendAsync(SipSamples.Options("ok"));
        var (_, flow) = await harness.Sink.NextMessageAsync();

        var broken = Encoding.ASCII.GetString(SipSamples.Options("bad")).Replace("Content-Length: 0", "Content-Length: lots", StringComparison.Ordinal);
        await socket.SendAsync(Encoding.ASCII.GetBytes(broken));

        await Wire.WaitForCloseAsync(socket);
        await harness.Sink.WaitClosedAsync(flow);
        Assert.True(flow.IsClosed);
        Assert.Equal(1, harness.Metrics.MalformedMessages.Get("tcp"));
        Assert.Equal(1, harness.Metrics.ConnectionsClosed.Get("malformed-framing"));
        Assert.Equal(0, harness.Sink.PendingMessages);
        Assert.Null(harness.Service.FindFlow(flow.Id));
    }

    [Fact]
    public async Task Receive_MessageOverTheSizeLimit_ClosesTheConnection()
    {
        var settings = new TransportSettings { MaxMessageBytes = 1024 };
        await using var harness = await TransportHarness.StartAsync([TransportHarness.Tcp()], settings);
        using var socket = await Wire.ConnectTcpAsync(harness.EndPoint());

        await socket.SendAsync(SipSamples.Options("big", body: new string('x', 2000)));

        await Wire.WaitForCloseAsync(socket);
        Assert.Equal(1, harness.Metrics.ConnectionsClosed.Get("malformed-framing"));
        Assert.Equal(0, harness.Sink.PendingMessages);
    }

    [Fact]
    public async Task Receive_DoubleCrlfPing_AnsweredWithCrlf()
    {
        await using var harness = await TransportHarness.StartAsync([TransportHarness.Tcp()]);
        using var socket = await Wire.ConnectTcpAsync(harness.EndPoint());
        using var stream = new NetworkStream(socket);

        await socket.SendAsync("\r\n\r\n"u8.ToArray());
        var pong = new byte[2];
        await stream.ReadExactlyAsync(pong).AsTask().WaitAsync(Wire.Patience);

        Assert.Equal("\r\n"u8.ToArray(), pong);
        await socket.SendAsync(SipSamples.Options("after-ping"));
        Assert.Equal("after-ping", (await harness.Sink.NextMessageAsync()).Message.CallId);
    }

    [Fact]
    public async Task TrySend_FromTheSink_ReachesThePeerInOrder()
    {
        await using var harness = await TransportHarness.StartAsync([TransportHarness.Tcp()]);
        using var socket = await Wire.ConnectTcpAsync(harness.EndPoint());
        using var stream = new NetworkStream(socket);
        await socket.SendAsync(SipSamples.Options("q"));
        var (request, flow) = await harness.Sink.NextMessageAsync();

        for (var code = 180; code <= 183; code++)
        {
            Assert.True(flow.TrySend(SipResponses.Create((SipRequest)request, code, null, "t").ToArray()));
        }

        var reader = new FrameReader(stream);
        for (var code = 180; code <= 183; code++)
        {
            Assert.Equal(code, Assert.IsType<SipResponse>(await reader.ReadMessageAsync()).StatusCode);
        }
    }

    [Fact]
    public async Task Close_ByTheApplication_ClosesTheSocketAndReportsTheFlow()
    {
        await using var harness = await TransportHarness.StartAsync([TransportHarness.Tcp()]);
        using var socket = await Wire.ConnectTcpAsync(harness.EndPoint());
        await socket.SendAsync(SipSamples.Options("x"));
        var (_, flow) = await harness.Sink.NextMessageAsync();

        flow.Close("test");

        await Wire.WaitForCloseAsync(socket);
        Assert.Same(flow, await harness.Sink.NextClosedAsync());
        Assert.False(flow.TrySend(SipSamples.Options("late")));
        Assert.Equal(1, harness.Metrics.ConnectionsClosed.Get("test"));
    }

    [Fact]
    public async Task Receive_MessageNotFinishedInTime_ClosedAsPartialMessage()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await TransportHarness.StartAsync([TransportHarness.Tcp()], time: time);
        using var socket = await Wire.ConnectTcpAsync(harness.EndPoint());

        await socket.SendAsync(SipSamples.Options("slow")[..40]);

        await Wire.AdvanceUntilAsync(time, TimeSpan.FromSeconds(11), Wire.WaitForCloseAsync(socket));
        Assert.Equal(1, harness.Metrics.ConnectionsClosed.Get("partial-message"));
        Assert.Equal(0, harness.Metrics.ConnectionsClosed.Get("idle"));
        Assert.Equal(0, harness.Sink.PendingMessages);
    }

    [Fact]
    public async Task Receive_NoTrafficForTheIdleTimeout_ClosedAsIdle()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = new TransportSettings { IdleTimeout = TimeSpan.FromSeconds(60) };
        await using var harness = await TransportHarness.StartAsync([TransportHarness.Tcp()], settings, time: time);
        using var socket = await Wire.ConnectTcpAsync(harness.EndPoint());
        await socket.SendAsync(SipSamples.Options("then-silence"));
        var (_, flow) = await harness.Sink.NextMessageAsync();

        await Wire.AdvanceUntilAsync(time, TimeSpan.FromSeconds(61), Wire.WaitForCloseAsync(socket));

        await harness.Sink.WaitClosedAsync(flow);
        Assert.Equal(1, harness.Metrics.ConnectionsClosed.Get("idle"));
        Assert.Equal(0, harness.Metrics.ConnectionsClosed.Get("partial-message"));
    }

    [Fact]
    public async Task Receive_KeepAliveBeforeTheIdleTimeout_KeepsTheConnection()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = new TransportSettings { IdleTimeout = TimeSpan.FromSeconds(60) };
        await using var harness = await TransportHarness.StartAsync([TransportHarness.Tcp()], settings, time: time);
        using var socket = await Wire.ConnectTcpAsync(harness.EndPoint());
        using var stream = new NetworkStream(socket);
        await socket.SendAsync(SipSamples.Options("first"));
        await harness.Sink.NextMessageAsync();
        var pong = new byte[2];

        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(40));

            // The second round trip proves the server re-armed its idle deadline after the first ping (it re-arms
            // before every read), so the next advance cannot race the re-arm.
            for (var ping = 0; ping < 2; ping++)
            {
                await socket.SendAsync("\r\n\r\n"u8.ToArray());
                await stream.ReadExactlyAsync(pong).AsTask().WaitAsync(Wire.Patience);
            }
        }

        await socket.SendAsync(SipSamples.Options("still-here"));
        Assert.Equal("still-here", (await harness.Sink.NextMessageAsync()).Message.CallId);
        Assert.Equal(0, harness.Metrics.ConnectionsClosed.Get("idle"));
    }

    [Fact]
    public async Task Accept_OverThePerIpLimit_ClosedAtOnceAndTheSlotFreedOnClose()
    {
        var settings = new TransportSettings { MaxConnectionsPerIp = 2 };
        await using var harness = await TransportHarness.StartAsync([TransportHarness.Tcp()], settings);
        using var first = await Wire.ConnectTcpAsync(harness.EndPoint());
        using var second = await Wire.ConnectTcpAsync(harness.EndPoint());
        await first.SendAsync(SipSamples.Options("1"));
        var (_, firstFlow) = await harness.Sink.NextMessageAsync();
        await second.SendAsync(SipSamples.Options("2"));
        await harness.Sink.NextMessageAsync();

        using (var third = await Wire.ConnectTcpAsync(harness.EndPoint()))
        {
            await Wire.WaitForCloseAsync(third);
        }

        Assert.Equal(1, harness.Metrics.ConnectionsClosed.Get("per-ip-limit"));
        Assert.Single(harness.Log.Messages(2002));
        first.Close();
        await harness.Sink.WaitClosedAsync(firstFlow);
        using var fourth = await Wire.ConnectTcpAsync(harness.EndPoint());
        await fourth.SendAsync(SipSamples.Options("4"));
        Assert.Equal("4", (await harness.Sink.NextMessageAsync()).Message.CallId);
        Assert.Equal(1, harness.Metrics.ConnectionsClosed.Get("per-ip-limit"));
    }
}

using System.Net;
using Microsoft.Extensions.Logging;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Transport;

/// <summary>What every listener, connection and UDP socket of one <see cref="SipTransportService"/> shares.</summary>
internal sealed class TransportRuntime
{
    private readonly LogThrottle _rateLogThrottle;
    private long _lastFlowId;
    private int _connectionCount;

    public TransportRuntime(TransportSettings settings, ISipMessageSink sink, SipTrunkMetrics metrics, TimeProvider time, ILogger logger, IConnectionAdmission? admission)
    {
        Settings = settings;
        Admission = admission;
        Sink = sink;
        Metrics = metrics;
        Time = time;
        Logger = logger;
        Limits = new SipLimits { MaxMessageBytes = settings.MaxMessageBytes };
        RateLimiter = settings.RequestRateLimit is { } limit ? new SourceRateLimiter(limit, time) : null;
        _rateLogThrottle = new LogThrottle(time, TimeSpan.FromSeconds(10));
    }

    public TransportSettings Settings { get; }

    /// <summary>Refuses banned addresses at accept and per UDP datagram; <see langword="null"/>: nobody is refused.</summary>
    public IConnectionAdmission? Admission { get; }

    public ISipMessageSink Sink { get; }

    public SipTrunkMetrics Metrics { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public SipLimits Limits { get; }

    /// <summary>The per-source request rate; <see langword="null"/> when unlimited.</summary>
    public SourceRateLimiter? RateLimiter { get; }

    public FlowRegistry Flows { get; } = new();

    public OwnedTasks Tasks { get; } = new();

    /// <summary>Open TCP/TLS sockets, handshaking ones included.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    public static string Label(SipTransportKind transport) => transport switch
    {
        SipTransportKind.Udp => "udp",
        SipTransportKind.Tcp => "tcp",
        _ => "tls",
    };

    /// <summary>Dual-stack sockets report IPv4 peers as ::ffff:a.b.c.d; flows, limits and logs use the plain form.</summary>
    public static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    public long NextFlowId() => Interlocked.Increment(ref _lastFlowId);

    public void ConnectionOpened() => Interlocked.Increment(ref _connectionCount);

    public void ConnectionClosed() => Interlocked.Decrement(ref _connectionCount);

    /// <summary>
    /// The rate check of one request from <paramref name="source"/> (call only with a <see cref="RateLimiter"/>): counts
    /// and logs refusals (throttled), and bans a source that keeps flooding — for datagrams only when it came over UDP,
    /// whose source address can be forged — closing its connections. Costs a lookup and a lock; allocates nothing
    /// unless the source is new, or is banned now.
    /// </summary>
    public RateDecision CheckRequestRate(SourceKey source, SipTransportKind transport)
    {
        var decision = RateLimiter!.Check(source);
        if (decision == RateDecision.Admit)
        {
            return decision;
        }

        var label = Label(transport);
        Metrics.RequestsRateLimited.Increment(label);
        var limit = RateLimiter.Limit;
        if (decision == RateDecision.Ban)
        {
            var address = source.ToAddress();
            var datagramsOnly = transport == SipTransportKind.Udp;
            if (Admission?.Ban(address, datagramsOnly) == true)
            {
                Metrics.SourcesBanned.Increment("rate-limit");
                Logger.BannedForRate(address, limit.RequestsPerSecond, label, datagramsOnly ? "datagrams" : "all");
                if (!datagramsOnly)
                {
                    CloseInboundFlowsFrom(address);
                }
            }
        }
        else if (_rateLogThrottle.TryEnter(out var suppressed))
        {
            Logger.RateLimited(source.ToAddress(), label, limit.RequestsPerSecond, limit.Burst, suppressed);
        }

        return decision;
    }

    /// <summary>True when a frame is a response (<c>SIP/</c> starts a status line, RFC 3261 §7.2): responses are not rate-limited.</summary>
    public static bool IsResponse(ReadOnlySpan<byte> frame) => frame.StartsWith("SIP/"u8);

    /// <summary>Closes every inbound connection from <paramref name="address"/> (a source just banned); returns how many.</summary>
    public int CloseInboundFlowsFrom(IPAddress address)
    {
        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        var closed = 0;
        foreach (var flow in Flows.All)
        {
            if (flow.IsReliable && flow.OutboundKey is null && flow.RemoteEndPoint.Address.Equals(normalized))
            {
                flow.Close("banned");
                closed++;
            }
        }

        return closed;
    }

    /// <summary>Parses one complete frame (it becomes the message's buffer) and hands it to the sink.</summary>
    public void Deliver(byte[] frame, SipFlow flow)
    {
        var result = SipParser.Parse(frame, Limits);
        try
        {
            if (result.Success)
            {
                Sink.OnMessage(result.Message, flow);
            }
            else
            {
                // Counted here, once for every transport; the sink answers 400 where it can but does not count again.
                Metrics.MalformedMessages.Increment(Label(flow.Transport));
                Logger.Unparsable(flow, result.Error);
                Sink.OnUnparsable(frame, result.Error, flow);
            }
        }
        catch (Exception ex)
        {
            Logger.SinkFailed(ex, flow);
        }
    }

    /// <summary>
    /// Registers a connection flow, runs it to its end, unregisters it, runs <paramref name="ended"/> (releasing what
    /// the connection held, so a sink that reconnects on the news finds the slot free), then tells the sink.
    /// </summary>
    public async Task RunConnectionAsync(StreamFlow flow, Action ended, CancellationToken stopping)
    {
        Flows.Add(flow);
        Logger.FlowOpened(flow, flow.ListenerName);
        try
        {
            await flow.RunAsync(stopping);
        }
        finally
        {
            Flows.Remove(flow);
            ConnectionClosed();
            ended();
            Logger.FlowClosed(flow, flow.CloseReason);
            NotifyClosed(flow);
        }
    }

    public void NotifyClosed(SipFlow flow)
    {
        try
        {
            Sink.OnFlowClosed(flow);
        }
        catch (Exception ex)
        {
            Logger.SinkFailed(ex, flow);
        }
    }
}

using System.Net;
using Microsoft.Extensions.Logging;

namespace SipTrunk.Core.Transport;

/// <summary>The transport's log lines (event ids 2000–2099). No certificate content is logged beyond the subject.</summary>
internal static partial class TransportLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Listener {Listener} listening on {Transport} {EndPoint}")]
    public static partial void ListenerStarted(this ILogger logger, string listener, SipTransportKind transport, IPEndPoint endPoint);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "TLS handshake from {RemoteAddress} on listener {Listener} refused: {Reason} ({Detail}); certificate subject {Subject}")]
    public static partial void HandshakeRefused(
        this ILogger logger, IPAddress remoteAddress, string listener, string reason, string? detail, string? subject);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "Connection from {RemoteAddress} on listener {Listener} refused: {Limit} connections from that address are open ({Suppressed} more refusals not logged since the last line)")]
    public static partial void PerIpLimitReached(this ILogger logger, IPAddress remoteAddress, string listener, int limit, int suppressed);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Closing {Flow}: the stream cannot be framed ({Error})")]
    public static partial void FramingFailed(this ILogger logger, SipFlow flow, string? error);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "{Flow} opened on listener {Listener}")]
    public static partial void FlowOpened(this ILogger logger, SipFlow flow, string? listener);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "{Flow} closed: {Reason}")]
    public static partial void FlowClosed(this ILogger logger, SipFlow flow, string reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Connected to {Key} at {RemoteEndPoint} as {Flow}")]
    public static partial void OutboundConnected(this ILogger logger, string key, IPEndPoint remoteEndPoint, SipFlow flow);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Connection to {Key} ({Host}:{Port}) failed: {Reason}")]
    public static partial void OutboundFailed(this ILogger logger, string key, string host, int port, string reason);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Error, Message = "The message sink threw on {Flow}; the flow carries on")]
    public static partial void SinkFailed(this ILogger logger, Exception exception, SipFlow flow);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Debug, Message = "Receive on {Flow} failed")]
    public static partial void ReceiveFailed(this ILogger logger, Exception exception, SipFlow flow);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Debug, Message = "Send on {Flow} failed")]
    public static partial void SendFailed(this ILogger logger, Exception exception, SipFlow flow);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Debug, Message = "Unparsable message on {Flow}: {Error}")]
    public static partial void Unparsable(this ILogger logger, SipFlow flow, string error);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Accept on listener {Listener} failed")]
    public static partial void AcceptFailed(this ILogger logger, Exception exception, string listener);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Debug, Message = "Datagram of {Length} bytes from {RemoteEndPoint} dropped: {Reason}")]
    public static partial void DatagramDropped(this ILogger logger, int length, IPEndPoint remoteEndPoint, string reason);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "UDP socket {EndPoint} failed; it stops receiving")]
    public static partial void UdpSocketFailed(this ILogger logger, Exception exception, IPEndPoint endPoint);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Debug, Message = "UDP send to {RemoteEndPoint} failed")]
    public static partial void UdpSendFailed(this ILogger logger, Exception exception, IPEndPoint remoteEndPoint);

    [LoggerMessage(EventId = 2016, Level = LogLevel.Information, Message = "Closing {Flow}: no answer to a keep-alive ping within {Timeout}")]
    public static partial void KeepAliveTimedOut(this ILogger logger, SipFlow flow, TimeSpan timeout);

    [LoggerMessage(EventId = 2017, Level = LogLevel.Debug, Message = "Closing {Flow}: {Reason} timeout")]
    public static partial void ReceiveTimedOut(this ILogger logger, SipFlow flow, string reason);

    [LoggerMessage(EventId = 2120, Level = LogLevel.Warning,
        Message = "Requests from {RemoteAddress} over {Transport} exceed {RequestsPerSecond}/s (burst {Burst}); refused ({Suppressed} more refusals not logged since the last line)")]
    public static partial void RateLimited(this ILogger logger, IPAddress remoteAddress, string transport, int requestsPerSecond, int burst, int suppressed);

    [LoggerMessage(EventId = 2121, Level = LogLevel.Warning,
        Message = "Banned {RemoteAddress}: it kept sending over {RequestsPerSecond} requests/s over {Transport} (scope {Scope})")]
    public static partial void BannedForRate(this ILogger logger, IPAddress remoteAddress, int requestsPerSecond, string transport, string scope);

    [LoggerMessage(EventId = 2122, Level = LogLevel.Debug, Message = "UDP socket {EndPoint} forgot {Count} quiet flows (over {Limit})")]
    public static partial void UdpFlowsForgotten(this ILogger logger, IPEndPoint endPoint, int count, int limit);
}
